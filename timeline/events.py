"""Articles into events: who did what, when, where, and the sentence that says so.

One article in, a list of event records out (plain dicts with the frame's columns; the
frame module turns them into the DataFrame). The steps, per sentence:

1. its temporal expressions (from `timeline.temporal`), keeping calendar dates only: a
   day, week, month, quarter, season, year, decade or century; never a duration or a
   number that is not a date;
2. one event per distinct date in the sentence, described by the clause around that date
   (title, category, actors), placed by the sentence's places (`timeline.places`);
3. dates anchored on another event ("a day after Poland shot down ...", "on the eve of
   joint military exercises") resolve through the date of the event the sentence tells;
4. statements and plans with no date of their own stay as undated rows (`dated` False).

Datelines and publication footers (`Article.metadata_spans`) are metadata, never events.
Without a publication date only absolute dates are placed; relative ones become undated
rows that keep their `date_text`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from timeline import categories as category_table
from timeline import places as pl
from timeline import sentences
from timeline.sources import Article
from timeline.temporal import Timex, tag
from timeline.temporal.periods import period_of

DATA = Path(__file__).parent / "data"

# Granularities an event may be placed at, from the tagger's DATE values.
PLACEABLE = ("day", "week", "month", "quarter", "half", "season", "year", "decade", "century")


# ---------------------------------------------------------------------------------------
# Categories
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Category:
    name: str
    description: str
    pattern: re.Pattern


@lru_cache(maxsize=1)
def categories() -> tuple[Category, ...]:
    """The taxonomy of timeline.categories with its English words, in matching order."""
    out = []
    for name, words in category_table.words().items():
        alts = []
        for w in words:
            alts.append(r"\b" + re.escape(w.strip()) + (r"\b" if w.endswith(" ") else ""))
        out.append(Category(name, category_table.get(name).description, re.compile("|".join(alts), re.I)))
    return tuple(out)


CATEGORIES = category_table.NAMES


def categorise(clause: str, sentence: str = "", at: int | None = None) -> str:
    """The category whose words the clause holds (the one nearest position `at` of the
    clause when given, else the first in taxonomy order), else the sentence's, else 'other'."""
    for text in (clause, sentence):
        best, best_distance = None, None
        for c in categories():
            for m in c.pattern.finditer(text):
                # words within a few words of the date count alike; then taxonomy order decides
                distance = 0 if at is None else min(abs(m.start() - at), abs(m.end() - at)) // 25
                if best_distance is None or distance < best_distance:
                    best, best_distance = c.name, distance
                if at is None:
                    break
            if at is None and best:
                break
        if best:
            return best
    return "other"


# ---------------------------------------------------------------------------------------
# Actors
# ---------------------------------------------------------------------------------------

# Role words dropped in front of a name: "US President Donald Trump" -> Donald Trump.
_ROLE = re.compile(
    r"^(?:(?:former|acting|then|exiled|opposition|deputy|vice|chief|prime|foreign|interior|defence|defense|"
    r"justice|state|president|minister|premier|chancellor|ambassador|envoy|secretary|senator|governor|mayor|"
    r"king|queen|prince|princess|pope|judge|spokesman|spokeswoman|spokesperson|leader|general|gen|lt|col|"
    r"mr|mrs|ms|dr|prof|sir|dame|lord|lady|sen|rep|gov|us|u\.s\.|eu|un|belarusian|lithuanian|polish|russian|"
    r"ukrainian|american|british|french|german|latvian|chinese|campaigner|journalist|activist)\.?\s+)+",
    re.I)
_NAME = re.compile(r"\b[A-Z][\w'\u2019-]*(?:\s+(?:[A-Z][\w'\u2019-]*|of|de|van|von|al|bin|la|le|du))*\b")
_ORG_WORDS = re.compile(
    r"\b(?:Union|Nations|Ministry|Embassy|Council|Commission|Parliament|Court|Party|Agency|Committee|Bank|"
    r"Fund|Organi[sz]ation|Office|Service|Guard|Army|Forces|Government|Department|Assembly|Alliance|"
    r"Corp|Inc|Ltd|Group|Company|Airlines?|News|Press|Reuters|Belta|Nato|NATO|OSCE|IMF|UN|EU|AP|AFP)\b")
_NOT_ACTORS = frozenset("""
The A An In On At For But And Or If When While After Before Since Until As It Its This That These Those
There Here He She They We I You His Her Their Our My Your Who What Why How Where Which Earlier Later Meanwhile
Also However Still Yet Now Then Today Yesterday Tomorrow Last Next Mr Mrs Ms Dr Webcam Those Some Many Most
According Published Updated Thursday Friday Saturday Sunday Monday Tuesday Wednesday God Ties Our
West East North South Western Eastern Middle Boeings
English French German Russian Polish Lithuanian Belarusian Ukrainian Spanish Arabic Chinese Latin
""".split())


_CONNECTORS = frozenset("of de van von al bin la le du".split())
_COMPASS = frozenset("North South East West Northern Southern Eastern Western Central Upper Lower".split())
# One word that cannot be a name: a compound adjective ("NATO-led", "Iraqi-bound", "Anglo-French",
# "B-plus") or a plural common noun ("Embassies", "Associates").
_NOT_A_NAME = re.compile(r"^[\w'.]+-(?:[a-z]\w*|[A-Z][a-z]+(?:ish|ian|an|ese|ch|ic))$|^[A-Z][a-z]+(?:ies|ates)$")
_US_STATES = frozenset("""Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mass Mich Minn Miss
Mo Mont Neb Nev Okla Ore Pa Tenn Tex Va Vt Wash Wis Wyo""".split())
_AGENCIES = frozenset("Reuters Belta Nato AP AFP UN EU".split())
_NAMED_THING = re.compile(r"\s+(?:military\s+|joint\s+)?(?:exercises?|drills?|war games|operation|summit|talks|treaty|accords?)\b", re.I)
_NAMING = re.compile(r"\b(?:code-?named|dubbed|called|named|known as)\s+[\u201c\"']?$", re.I)


def _clean_name(name: str) -> str:
    name = _ROLE.sub("", name).strip(" -'\u2019")
    return re.sub(r"[\u2019']s$", "", name)


def find_actors(sentence: str, place_names: set[str], known: dict[str, str],
                common: frozenset[str] = frozenset()) -> list[tuple[str, int]]:
    """People and organisations named in `sentence`, role titles stripped, in order, each
    with the offset of its mention in the sentence.

    `known` maps a surname (or short form) to the full name seen earlier in the article
    and learns new full names as it goes ("Lukashenko" -> "Alexander Lukashenko").
    `common` holds the words the article also writes in lower case: a single capitalised
    word among them is a common noun ("Security is tight", "the Federal crime"), no name.
    """
    found: list[tuple[str, int]] = []
    for m in _NAME.finditer(sentence):
        raw = m.group()
        words = raw.split()
        if words[0] in _COMPASS and len(words) > 1:
            continue  # "South Carolina", "West Virginia", "East Africa": a region, no actor
        while words and (words[0] in _NOT_ACTORS or words[0].rstrip(".").lower() in _month_words()):
            words = words[1:]
        if not words:
            continue
        while words and (words[-1] in _CONNECTORS or words[-1] in place_names):
            words = words[:-1]  # "accused Minsk of ...", "Representatives of Lithuanian hauliers"
        if not words or _NAMING.search(sentence, 0, m.start()) or _NAMED_THING.match(sentence, m.end()):
            continue  # "codenamed Amber Shield": the name of a thing, not of an actor
        name = " ".join(words)
        # Role titles go ("US President Donald Trump"); an organisation keeps its whole name
        # ("Polish Interior Ministry", not "Ministry").
        name = name.strip(" -'\u2019") if _ORG_WORDS.search(name) else _clean_name(name)
        name = re.sub(r"[\u2019']s$", "", name)
        if not name or name in place_names or name.upper() == name and len(name) <= 3 and name not in ("EU", "UN", "AP"):
            continue
        if name.split()[0] in _NOT_ACTORS or name.lower() in _month_words():
            continue
        parts = name.split()
        pieces = [re.sub(r"[\u2019']s$", "", p) for p in re.split(r"[\s-]+", name)]
        if all(p in place_names or p in _NOT_ACTORS for p in pieces):
            continue  # "Kuznica-Grodno", "Russia's Kaliningrad", "Middle East"
        is_org = bool(_ORG_WORDS.search(name))
        # the first word of the sentence, or of a quotation in it, is capitalised anyway
        at_start = m.start() == 0 or bool(re.search(r"(?:^|[:,]\s*)(?:``|''|[\"\u201c\u2018'])\s*$|^\s*$",
                                                    sentence[:m.start()]))
        if len(parts) == 1 and (_NOT_A_NAME.search(name) or name.lower() in common or name in _US_STATES
                                or name.lower() in sentences.ABBREVIATIONS
                                or (is_org and _ORG_WORDS.fullmatch(name) and not name.isupper()
                                    and name not in _AGENCIES)):
            continue  # "NATO-led", "B-plus"; "Peoria, Ill."; a lone "Ministry" or "Committee"
        if len(parts) == 1 and not is_org:
            full = known.get(name)
            if full:
                name = full
            elif at_start:
                continue  # a capitalised first word is no evidence of a name
        elif len(parts) >= 2 and not is_org:
            known.setdefault(parts[-1], name)
            known.setdefault(parts[0], name)  # signed "Donald": Donald Trump
        if re.search(r"\b(?:Prize|Award|Cup|Games|Day)\b", name):
            continue
        if name not in [f[0] for f in found]:
            found.append((name, m.start()))
    return found


@lru_cache(maxsize=1)
def _month_words() -> frozenset[str]:
    return frozenset("january february march april may june july august september october november "
                     "december jan feb mar apr jun jul aug sep sept oct nov dec".split())


# ---------------------------------------------------------------------------------------
# Clauses and titles
# ---------------------------------------------------------------------------------------

_CLAUSE_BREAK = re.compile(r"\s*(?:,(?!\d{3})|[;:\u2014\u2013]|\s-\s|\band\s+(?=(?:on|in|the|a|was|were|is|has|had)\b|[A-Z])|"
                           r"\bbut\b|\bwhile\b|\bwhereas\b)\s*")
_ATTRIBUTION = re.compile(
    r"(?:,?\s*(?:the\s+)?[\w\s'\u2019.-]{0,60}?\b(?:said|says|told|reported|announced|added)(?:\s+on\s+\w+)?\s*[.,]?\s*$)|"
    r"^(?:[\w\s'\u2019.-]{0,60}?\b(?:said|says|told|reported|announced)(?:\s+(?:on\s+)?\w+day)?(?:\s+that)?\s+)",
    re.I)
_LEAD_WORDS = re.compile(r"^(?:and|but|or|then|also|so|which|that|as|after|before|when|while)\s+", re.I)
_DATE_PREP = re.compile(r"\s*\b(?:(?:on|in|at|during|since|by|from|until)\s+the\s+(?:night|morning|evening|afternoon|"
                        r"weekend|end|start|beginning|middle)\s+of|on|in|at|during|since|by|from|until|of|last|"
                        r"early|late|as recently as|as early as)\s*$", re.I)
_RELATIVE = re.compile(r"^(?:who|which|that)\s+", re.I)
_TITLE_WORDS = 16
# A clause that opens with a preposition and has no finite verb only sets the scene.
_LEAD_IN = re.compile(r"(?:in|on|at|during|for|from|by|after|before|since|through|throughout|over|amid|among)\b", re.I)
_FINITE = re.compile(r"\b(?:is|are|was|were|be|been|has|have|had|will|would|can|could|may|might|must|shall|"
                     r"should|did|does|do|said|says|[a-z]{2,}ed)\b")


def _clause_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause of `sentence` around [start, end): between the nearest clause breaks."""
    left = 0
    for m in _CLAUSE_BREAK.finditer(sentence, 0, start):
        left = m.end()
    right = len(sentence)
    m = _CLAUSE_BREAK.search(sentence, end)
    if m:
        right = m.start()
    return left, right


_PRONOUN = re.compile(r"^(?:he|she)\b", re.I)
_PRONOUN_ANY = re.compile(r"\b(?:he|she|his|her|him)\b", re.I)
_WHOSE = re.compile(r"\b(?:whose\s+[a-z]+|who|which)\s+", re.I)


# Verbs that report speech: the speaker is the name before them.
_SAYS = re.compile(r"\b(?:said|says|told|announced|added|stated|declared)\b")


def _speaker(sentence: str, actors: list[tuple[str, int]]) -> str:
    """The surname of the person whose words the sentence reports ("Trump has said he ...")."""
    m = _SAYS.search(sentence)
    if not m:
        return ""
    before = [name for name, at in actors if at < m.start() and len(name.split()) >= 1]
    return before[-1].split()[-1] if before else ""


def _speaker_of(sentence: str, left: int, date_at: int, actors: list[tuple[str, int]]) -> list[str]:
    """The speaker, when the date at `date_at` (in the clause starting at `left`) is in what
    someone said: the name just before the verb, or, where an aside stands between them
    ("Tsikhanouskaya, the leader whose husband Siarhei was freed, said ..."), the name before
    the aside."""
    m = None
    for m in _SAYS.finditer(sentence, max(0, left - 12), date_at):
        pass
    if m is None:
        return []
    before = [(name, at) for name, at in actors if at < m.start()]
    if not before:
        return []
    if sentence[:m.start()].rstrip().endswith(","):
        for name, at in before:  # the aside opens with a comma right after the subject's name
            mention = re.match(r"[\w\s.'\u2019-]*?(?=,)", sentence[at:])
            if mention is not None and sentence[at + mention.end():].startswith(","):
                return [name]
    return [before[-1][0]]


def make_title(sentence: str, start: int, end: int, actors: list[tuple[str, int]],
               subject: str = "") -> str:
    """A short headline-style clause for the event whose date is sentence[start:end]
    (the whole sentence's gist when start == end). `subject` replaces a leading He/She."""
    if start == end:
        clause = _ATTRIBUTION.sub("", sentence).strip(" ,.;:\"'\u201c\u201d")
        left = 0
    else:
        left, right = _clause_bounds(sentence, start, end)
        date_text = sentence[start:end]
        modifier = (re.fullmatch(r"\d{4}", date_text) and re.search(r"\b(?:the|a|an)\s+$", sentence[:start])) \
            or re.match(r"[\u2019']s\b", sentence[end:])
        if modifier:  # "a 2010 election", "Thursday's release": the date belongs to the noun
            clause = sentence[left:right]
            date_at = start - left
        else:
            before = _DATE_PREP.sub("", sentence[left:start]).rstrip()
            clause = (before + " " + sentence[end:right]).strip()
            date_at = len(before)
        if left == 0 and _LEAD_IN.match(clause) and not _FINITE.search(clause) and right < len(sentence):
            # "In composite trading yesterday, Aetna closed at $59.50": the lead-in sets the
            # scene; the clause after it says what happened.
            nxt = _CLAUSE_BREAK.search(sentence, right + 1)
            after = sentence[right: nxt.start() if nxt else len(sentence)].lstrip(" ,;:")
            if len(after.split()) >= 3:
                clause, date_at = after, 0
        whose = None
        for whose in _WHOSE.finditer(clause, 0, date_at):
            pass
        if whose is not None and whose.start() > 0 and len(clause[whose.end():].split()) >= 3:
            clause = clause[whose.end():]  # "the leader whose husband Siarhei was freed" -> "Siarhei was freed"
            whose = "used"
        clause = _ATTRIBUTION.sub("", clause).strip(" ,.;:\"'\u201c\u201d")
        clause = _LEAD_WORDS.sub("", clause)
        if whose != "used" and _RELATIVE.match(clause):
            # "Statkevich, who ran against Lukashenko": the pronoun stands for the name before it.
            before = [name for name, at in actors if at < left]
            clause = _RELATIVE.sub((before[-1].split()[-1] + " ") if before else "", clause)
    if len(clause.split()) < 3:  # too little left: the sentence's main clause tells it better
        main_end = _CLAUSE_BREAK.search(sentence)
        clause = sentence[: main_end.start() if main_end and main_end.start() > 20 else len(sentence)]
        clause = _ATTRIBUTION.sub("", clause).strip(" ,.;:\"'\u201c\u201d")
    if _PRONOUN.match(clause):
        speaker = _speaker(sentence, actors)
        if speaker or subject:
            clause = _PRONOUN.sub(speaker or subject, clause)
    words = clause.split()
    if len(words) > _TITLE_WORDS:
        words = words[:_TITLE_WORDS]
        words[-1] = words[-1].rstrip(",;:") + "\u2026"
    title = " ".join(words)
    return title[:1].upper() + title[1:]


# ---------------------------------------------------------------------------------------
# Anchored dates: an event dated by another one
# ---------------------------------------------------------------------------------------

_ANCHOR = re.compile(
    r"\b(?P<amount>a|an|one|two|three|four|five|six|seven|\d+)\s+(?P<unit>day|week|month|year)s?\s+"
    r"(?P<rel>after|before)\s+(?P<what>[^,;.]+)"
    r"|\bon\s+the\s+(?P<eve>eve)\s+of\s+(?P<what2>[^,;.]+)"
    r"|\bthe\s+(?P<next>day|week)\s+(?P<rel2>after|before)\s+(?P<what3>[^,;.]+)",
    re.I)
_AMOUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


def _anchored_spans(sentence: str):
    """(start, end, what happened, date-from-anchor function) for each event `sentence`
    dates by another one: "a day after X" puts X a day before the event told."""
    out = []
    for m in _ANCHOR.finditer(sentence):
        if m.group("eve"):
            what, days = m.group("what2"), 1
        else:
            rel = (m.group("rel") or m.group("rel2")).lower()
            unit = (m.group("unit") or m.group("next")).lower()
            n = _AMOUNTS.get((m.group("amount") or "a").lower()) or int(m.group("amount"))
            if unit not in ("day", "week"):
                continue  # months and years after an event are too loose to date it by a day
            what = m.group("what") or m.group("what3")
            days = (-1 if rel == "after" else 1) * n * (7 if unit == "week" else 1)
        what = re.split(r"\s+(?:and|but)\s+(?=on\s+the\s+eve|a\s+day|the\s+day)", what)[0].strip()
        out.append((m.start(), m.end(), what, lambda anchor, d=days: anchor + dt.timedelta(days=d)))
    return out


# ---------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------

_REPORTING = re.compile(r"\b(?:said|says|say|told|announced|urged|warned|called for|plans?|planned|will|would|"
                        r"accused|praised|described|insists?|insisted|hopes?|hoped|wants?|wanted)\b", re.I)


# A date that is the baseline of a comparison or the start of a count is no event:
# "50 times the number for all of 2020", "966 balloons since the start of the year".
_BASELINE = re.compile(r"(?:\ball of|\bcompared (?:with|to)|\bthan(?: in)?|\bup from|\bdown from|\bversus|"
                       r"\b(?:since|from) the (?:start|beginning) of)\s+(?:the\s+)?$", re.I)


# Simple past, the tense of a news story's own events; a plan, a modal or a pluperfect
# ("had urged") is not told as happening on the story's day.
_PAST_VERB = re.compile(r"\b(?:was|were|said|told|did|[a-z]{3,}ed|went|came|took|gave|made|met|won|lost|left|"
                        r"fell|rose|saw|held|ran|sent|spoke|wrote|got|found|struck|led|paid|sold|bought|"
                        r"shot|broke|became|began|fled|flew|drove|brought|thought|kept|put|set|hit|cut)\b")
_NOT_SIMPLE_PAST = re.compile(r"\b(?:will|would|shall|may|might|could|should|must|can|plans?|hopes?|"
                              r"wants?|expects?|is|are|am|has|have|had\s+(?:been\s+)?[a-z]+ed|had\s+\w+en|"
                              r"remains?|once|still|usually|often|always|never)\b"
                              r"|[\u2019']ll\b", re.I)
# A story's own day: the last day-precise date told, if it lies in the week before publication.
_STORY_WINDOW = dt.timedelta(days=7)


_SAID = re.compile(r"\b(?:said|told|announced|added|confirmed|denied|urged|warned|called on|called for|accused|asked|"
                   r"welcomed|condemned|critici[sz]ed|praised|hailed|rejected|protested|exclaimed|replied|"
                   r"responded|wrote|argued|explained|predicted|vowed|pledged|promised|admitted|complained|"
                   r"demanded|appealed|reiterated|blamed|quoted|issued (?:a |its )?statements?|"
                   r"declared|insisted|stressed|noted|acknowledged|conceded|reported|described|expressed|suggested|"
                   r"claimed|alleged|recalled|estimated|cautioned|deplored|regretted|thanked|congratulated|"
                   r"(?:declined|refused) to (?:comment|specify|say|elaborate|discuss|identify|name|disclose|confirm|"
                   r"explain|answer|give|provide)|(?:placed|put|laid) the blame|"
                   r"(?<!-)(?<!\bso )called(?=\s+\w[^.\"\u201c`]{0,60}(?:--[^.\"\u201c`]{0,100}--\s*\w*\s*)?[\"\u201c`]))\b")


_SAYS_NOW = re.compile(r"\b(?:says|say|insists?|maintains?|argues?|believes?|contends?|warns?|acknowledges?|"
                       r"admits?|denies|deny|claims?|estimates?|tells|suggests?)\b")


# What is said to happen later is no event of the story's day: "Washington will grant relief".
_PLAN = re.compile(r"\b(?:will|plans? to|intends? to|is to|are to|is expected to|are expected to)\b|[\u2019']ll\b", re.I)
_PERFECT_OR_MODAL = re.compile(r"\b(?:has|have|had|will|would|could|may|might|to)\s+(?:\w+\s+)?$", re.I)


# Nouns that name an event, and the word stems that tell it in the sentence that dated it.
_EVENT_NOUNS = {
    "bombing": "bomb", "bombings": "bomb", "blast": "blast", "blasts": "blast", "explosion": "explo",
    "attack": "attack|kill|shot|shoot|slay|murder", "attacks": "attack", "shooting": "shot|shoot|kill|slay",
    "killing": "kill|slay|shot|murder", "slaying": "slay|kill|shot|murder", "murder": "murder|kill|slay|shot",
    "death": "died|kill|slay|shot|murder", "crash": "crash", "invasion": "invad|invasion",
    "election": "elect", "vote": "vot", "referendum": "referendum", "summit": "summit", "release": "releas|freed",
    "arrest": "arrest", "trial": "trial", "verdict": "verdict", "coup": "coup", "protests": "protest",
    "uprising": "uprising", "earthquake": "earthquake", "fire": "fire", "strike": "strike", "raid": "raid",
}
_NAMED_EVENT = re.compile(r"\b(?:the|that|this|his|her|their|its|last\s+\w+'s|(?:[A-Z][a-z]+|[a-z]+)'s)\s+(?:[\w-]+\s+)?(" +
                          "|".join(_EVENT_NOUNS) + r")\b(?:\s+of\s+(?:[A-Z][a-z]+\.?\s+)*(?P<whom>[A-Z][\w'-]+))?")
# "the release of nine people" is a new event; "the killing of Dr. Barnett Slepian" names
# again the one told of Slepian before.


def _named_event(sentence: str, records: list[dict]) -> tuple[dict, str] | None:
    """The earlier dated event a definite noun in `sentence` names again ("the bombing"):
    the latest one whose own sentence tells it with that noun's stem."""
    m = _NAMED_EVENT.search(sentence)
    if not m or (re.match(r"\s+of\b", sentence[m.end(1):]) and not m.group("whom")):
        return None
    noun = m.group(1)
    stem = re.compile(r"\b(?:" + _EVENT_NOUNS[noun] + ")", re.I)
    for r in reversed(records):
        # the sentence must tell the event, not name it again itself ("searched the site of
        # the shooting on April 8" is no shooting on April 8)
        told = _NAMED_EVENT.sub(" ", r["sentence"])
        if r["granularity"] in ("day", "month", "year") and r["confidence"] >= 0.6 and stem.search(told) \
                and (not m.group("whom") or m.group("whom") in r["sentence"]):
            return r, noun
    return None


def _reckoned_from(what: str, records: list[dict]) -> tuple[dict, str] | None:
    """The earlier day-precise event that `what` ("the murder", "his death") names again, if any."""
    if not re.match(r"(?:the|that|this|his|her|their|its)\b", what, re.I):
        return None
    again = _named_event(what, records)
    return again if again is not None and again[0]["granularity"] == "day" else None


_QUOTE_ONLY = re.compile(r"^\s*(?:``|''|[\"\u201c])(?:(?!''|[\"\u201c\u201d]).){8,}(?:''|[\"\u201d])\s*$", re.S)
_QUOTED = re.compile(r"[\u201c\"][^\u201d\"]*[\u201d\"]")  # what is quoted has its own tenses


def _paragraphs_between(text: str, start: int, end: int) -> int:
    """Paragraph breaks in text[start:end]: blank lines, or line breaks in a text that has no
    blank line at all (HTML and feeds give one paragraph a line)."""
    return text.count("\n\n", start, end) if "\n\n" in text else text.count("\n", start, end)


def _reported(sentence: str) -> bool:
    """A statement or reaction reported in the simple past ("the ministry said it is ...",
    "the minister welcomed the decision"), or a market move of the story's trading day
    ("Intel eased 1/8 to 31 7/8"); "has said" or "will tell" are not."""
    said = [m for m in _SAID.finditer(sentence)]
    if said and _PERFECT_OR_MODAL.search(sentence, max(0, said[0].start() - 20), said[0].start()) \
            and re.search(r"\band\s+$", sentence[:said[-1].start()]):
        return False  # "Trump has said he plans to meet him, and described him as ...": all perfect
    return any(not _PERFECT_OR_MODAL.search(sentence, max(0, m.start() - 20), m.start())
               for m in said) or bool(_MARKET_MOVE.search(sentence))


# A share price's move as market reports tell it: "fell $1.50 apiece to $19.125", "surged
# 4 5/8 to 112 5/8", "rose 37.5 cents to close at $2.75" (not "sales rose 5% to $2 million").
_MARKET_MOVE = re.compile(
    r"\b(?:rose|fell|surged|eased|gained|slipped|climbed|dropped|declined|jumped|tumbled|plunged|soared|"
    r"advanced|added|lost|edged (?:up|down))\s+\$?(?:\d+(?:\.\d+)?(?:\s+\d+/\d+)?|\d+/\d+)(?:\s+cents?)?"
    r"(?:\s+(?:apiece|a share))?\s+to\s+(?:close\s+at\s+)?\$?\d")


def _inherited_date(records: list[dict], own_dated: dict | None, published: dt.date | None, sentence: str,
                    text: str, here: int) -> dict | None:
    """The dated event a sentence at offset `here` with no date of its own is told as part
    of, when the text makes that clear, else None:

    - a sentence told in the simple past in the same paragraph as the last event, when that
      event has a date of its own (`own_dated`, not inherited), carries on the episode that
      sentence told as done: its last date not after publication (a plan is no episode to
      continue) ("In 2021, Lithuania accused Minsk ... Belarus denied the accusation": 2021);
    - a statement or reaction reported in the simple past anywhere in the article belongs to
      the story's day (see _story_day) ("Ministry spokesman Tomasz Wrona said ...",
      paragraphs after "said Friday"), whatever the tense of what it reports;
    - a quotation standing on its own goes on with the statement reported just before it;
    - a statement in the present ("officials say") belongs to the publication day when the
      text tells that day in words ("today").

    Statements reported before the text tells any day are dated at the end of
    extract_events, by the first day it tells.
    """
    if published is None or not records:
        return None
    last = records[-1]
    if _QUOTE_ONLY.match(sentence) and "start_char" in last and last["date"] <= published \
            and _reported(last["sentence"]) and _paragraphs_between(text, last["end_char"], here) <= 1:
        # a quotation on its own goes on with the statement just reported:
        # 'McCurry said Thursday. "We're not going to dignify the latest false leak."'
        return last
    reported = _reported(sentence)
    if not reported and _PLAN.search(_QUOTED.sub("", sentence)):
        return None
    if not reported and _SAYS_NOW.search(_QUOTED.sub("", sentence)):
        # "officials say ...": said as of publication, the story's day when the text tells
        # that day itself in words ("today", "on Thursday" for an article of that Thursday),
        # not by reckoning from another event ("on the eve of ...")
        return next((r for r in reversed(records) if r["date"] == published and r["granularity"] == "day"
                     and r["date_text"] and r.get("confidence", 1) >= 0.8), None)
    # told in the simple past: reported, or a past verb with nothing that makes it a plan,
    # a modal, a perfect or a habit
    if not (reported or (_PAST_VERB.search(sentence) and not _NOT_SIMPLE_PAST.search(sentence))):
        return None
    if last is own_dated and _paragraphs_between(text, last["end_char"], here) == 0:
        # the episode is what the last sentence told as done: "ruled Wednesday that he must
        # be returned by Jan. 14. The decision touched off protests": Wednesday
        done = [r for r in records if r.get("start_char") == last["start_char"] and r["date"] <= published]
        if done:
            return done[-1]
    return _story_day(records, published) if reported else None


def _story_day(records: list[dict], published: dt.date) -> dict | None:
    """The event of the story's day: the last one told with a day of its own in the week
    before publication, or the dateline's day (a record without offsets, first in
    `records`) when that is later: a wire story filed on Saturday reports Saturday's
    reactions to Friday's bombing."""
    filed = records[0] if records and "start_char" not in records[0] else None
    for r in reversed(records):
        if r["granularity"] == "day" and r["date_text"] and published - _STORY_WINDOW <= r["date"] <= published:
            return filed if filed is not None and filed["date"] > r["date"] else r
    return None


def _dated_as(told: dict, article_id: str, sentence: str) -> dict:
    """The date columns of a row that takes the date of the event `told` it is part of."""
    return dict(event_id=event_id(article_id, sentence, told["timex"], ""), date=told["date"], end=told["end"],
                granularity=told["granularity"], timex=told["timex"], date_text=told["date_text"], dated=True,
                confidence=0.5)


def _dateline_day(timexes: list[Timex], meta: list[tuple[int, int]]) -> list[dict]:
    """The day a dateline opening the text gives ("BRUSSELS, February 10 (Xinhua) --"), as a
    record without offsets, in a list of one; [] when there is none."""
    if not meta or meta[0][0] >= 300:
        return []
    start, end = meta[0]
    for t in timexes:
        if t.start >= end:
            break
        period = _period(t.value) if start <= t.start else None
        if period is not None and period[2] == "day":
            return [dict(date=period[0], end=period[1], granularity="day", timex=t.value, date_text=t.text)]
    return []


def event_id(article_id: str, sentence: str, timex: str, date_text: str) -> str:
    """Stable id: the same sentence of the same article with the same date gives the same id."""
    key = "\x1f".join((article_id, " ".join(sentence.split()), timex, date_text))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def _calendar_timex(t: Timex) -> bool:
    return t.type in ("DATE", "TIME") and t.value[:1].isdigit() and (
        t.granularity in PLACEABLE or t.type == "TIME")


def _period(value: str) -> tuple[dt.date, dt.date, str] | None:
    """(first day, last day, granularity) of a tagger DATE or TIME value; a time counts as its day."""
    return period_of(value.split("T")[0])


def _absolute(text: str) -> tuple[list[Timex], set[tuple[int, int]]]:
    """For a text without a publication date: the expressions whose value does not depend
    on it (tagged against two far-apart dates, the same both times), and the spans of
    those that do (left unresolved)."""
    late = tag(text, "2100-06-15")
    later = {(t.start, t.end, t.value) for t in late}
    absolute = [t for t in tag(text, "1900-06-15") if (t.start, t.end, t.value) in later]
    return absolute, {(t.start, t.end) for t in late} - {(t.start, t.end) for t in absolute}


def _main_place(mentions: list[pl.PlaceMention]) -> pl.PlaceMention | None:
    pinned = [p for p in mentions if p.lat is not None and not p.metonym]
    for kinds in (("crossing",), ("city", "settlement", "facility"), ("region",), ("country",)):
        for p in pinned:
            if p.kind in kinds:
                return p
    return None


def _placed(mentions: list[pl.PlaceMention], lo: int, hi: int, home: str = "") -> dict:
    """The place columns for the mentions whose offsets lie in [lo, hi). With none there,
    the article's main country `home` stands in, marked as inferred."""
    inside = [p for p in mentions if lo <= p.start < hi or (p.inferred and p.kind == "crossing")]
    main = _main_place(inside)
    if main is None and home and not any(p.kind in ("country", "city", "crossing") for p in inside):
        try:
            lat, lon = pl.country_centroid(home)
        except ValueError:  # a code the gazetteer has no settlements for (AN, ...): no pin
            return _placed(mentions, lo, hi)
        name = pl.country_name(home)
        return dict(places=[name] + [p.name for p in inside if p.kind != "demonym" and p.name != name],
                    countries=list(dict.fromkeys([home] + [p.country for p in inside if p.country])),
                    lat=lat, lon=lon, place_inferred=True)
    names = [p.name for p in inside if p.kind != "demonym"]
    if main is not None:
        names.insert(0, main.name)  # the main place first, as the schema says
    return dict(
        places=list(dict.fromkeys(names)),
        countries=list(dict.fromkeys(p.country for p in inside if p.country)),
        lat=main.lat if main else float("nan"), lon=main.lon if main else float("nan"),
        place_inferred=bool(main and main.inferred),
    )


def extract_events(article: Article) -> list[dict]:
    """Every event `article` reports, as records with the frame's columns.

    Dated events first (in text order), then undated statements and plans.
    """
    text = article.text
    if not text.strip():
        return []
    published = article.published
    timexes, unresolved = (tag(text, published), set()) if published else _absolute(text)
    all_places = pl.find_places(text)
    meta = list(article.metadata_spans)
    in_meta = lambda s, e: any(ms <= s and e <= me for ms, me in meta)  # noqa: E731
    known_names: dict[str, str] = {}
    common = frozenset(w for w in re.findall(r"\b[a-z][a-z'-]+\b", text))  # words written in lower case
    place_names = {p.text for p in all_places} | {p.name for p in all_places}
    # the article's main country: the one its places and demonyms name most
    tally = Counter(p.country for p in all_places if p.country and not p.metonym)
    home = tally.most_common(1)[0][0] if tally else ""

    records: list[dict] = []
    undated: list[dict] = []
    early: list[dict] = []  # statements reported before any dated event (see the end)
    # The dateline's day: metadata, no event, but the story's day for what it reports without
    # a day of its own (see _story_day).
    filed = _dateline_day(timexes, meta)
    narrative_day: dt.date | None = None  # the date of the last day-precise event told
    own_dated: dict | None = None  # the last event dated by its own words (not inherited)
    last_person = ""  # surname of the last person named, for a title that starts "He ..."
    ti = 0
    pi = 0
    for s_start, s_end in sentences.split(text):
        if in_meta(s_start, s_end) or s_end - s_start < 12:
            continue
        sentence = text[s_start:s_end]
        while ti < len(timexes) and timexes[ti].end <= s_start:
            ti += 1
        sent_timexes = [t for t in timexes[ti:] if t.start < s_end and t.start >= s_start and not in_meta(t.start, t.end)]
        while pi < len(all_places) and all_places[pi].end <= s_start:
            pi += 1
        sent_places = [p for p in all_places[pi:] if s_start <= p.start < s_end]
        if not any(p.kind == "crossing" for p in sent_places):
            border = pl.border_place(sentence, {p.country for p in sent_places if p.country})
            if border is not None:
                sent_places.append(border)
        # Titles leave out a dateline the sentence starts with ("VILNIUS, Nov 4 (Reuters) -"),
        # blanked so that offsets into the sentence still hold.
        lead = max((me - s_start for ms, me in meta if ms <= s_start < me < s_end), default=0)
        headline = " " * lead + sentence[lead:]
        found = find_actors(headline, place_names, known_names, common)
        actors = [name for name, _ in found]
        base = dict(
            **_placed(sent_places, s_start, s_end, home),
            sentence=sentence, start_char=s_start, end_char=s_end,
            article_id=article.article_id, source=article.source,
            published=published, url=article.url, sources=[article.source or article.article_id],
        )
        seen_values: set[str] = set()
        first_here = len(records)  # this sentence's records start here
        # "the day after his death": reckoned from an event the article dated (below), not
        # the tagger's "the day"
        anchored = [(a, b, what, when_of, _reckoned_from(what, records))
                    for a, b, what, when_of in _anchored_spans(sentence)]
        reckoned = [(s_start + a, s_start + b) for a, b, _, _, again in anchored if again is not None]
        for t in sent_timexes:
            if not _calendar_timex(t) or _BASELINE.search(text, max(0, t.start - 40), t.start):
                continue
            if any(a <= t.start < b for a, b in reckoned):
                continue
            value = t.value.split("T")[0] if t.type == "TIME" else t.value
            if value in seen_values:
                continue
            period = _period(t.value)
            if period is None:
                continue
            seen_values.add(value)
            start, end, gran = period
            rel_start, rel_end = t.start - s_start, t.end - s_start
            left, right = _clause_bounds(sentence, rel_start, rel_end)
            clause = sentence[left:right]
            clause_actors = [name for name, at in found if left <= at < right]
            if not clause_actors:  # who said it, else the name the clause hangs on: the nearest before it
                clause_actors = _speaker_of(sentence, left, rel_start, found) \
                    or [name for name, at in found if at < left][-1:] or actors[:1]
            confidence = 0.9 if re.search(r"\d", t.text) else 0.8
            if re.search(r"\b(?:will|would|plans?|expected|scheduled|due)\b", sentence, re.I):
                confidence -= 0.1  # a plan may not happen
            records.append(dict(
                base, **_placed(sent_places, s_start + left, s_start + right, home),
                event_id=event_id(article.article_id, sentence, value, t.text),
                date=start, end=end, granularity=gran, timex=value, date_text=t.text, dated=True,
                title=make_title(headline, rel_start, rel_end, found, last_person),
                category=categorise(clause, sentence, at=rel_start - left),
                actors=clause_actors or ([known_names.get(last_person, last_person)]
                                         if last_person and _PRONOUN_ANY.search(clause) else []),
                confidence=round(confidence, 2),
            ))
            own_dated = records[-1]
            if gran == "day":
                narrative_day = start
        # events dated through the event this sentence tells ("released a day after X"):
        # the last day-precise event of the same category, else the story's last day
        for a_start, a_end, what, when_of, again in anchored:
            if again is not None:
                # "10 days before the murder": the murder is an event the article dated; what
                # the sentence tells is reckoned from it (the reverse of "a day after X")
                anchor = again[0]["date"]
                when = anchor - (when_of(anchor) - anchor)
                value = when.isoformat()
                if value not in seen_values:
                    seen_values.add(value)
                    records.append(dict(
                        base, event_id=event_id(article.article_id, sentence, value, sentence[a_start:a_end]),
                        date=when, end=when, granularity="day", timex=value, date_text=sentence[a_start:a_end],
                        dated=True, title=make_title(headline, a_start, a_end, found, last_person),
                        category=categorise(sentence[:a_start] or sentence), actors=actors, confidence=0.6,
                    ))
                    own_dated = records[-1]
                continue
            told = categorise(sentence[:a_start]) if a_start > 0 else "other"
            anchor_day = next((r["date"] for r in reversed(records)
                               if r["granularity"] == "day" and r["category"] == told), None) \
                or narrative_day or published
            if anchor_day is None:
                continue
            when = when_of(anchor_day)
            value = when.isoformat()
            if value in seen_values:
                continue
            seen_values.add(value)
            title = re.sub(r"\bwhat (?:it|they|he|she) said (?:were|was)\s+", "", what.strip())
            what_at = sentence.find(what, a_start)
            records.append(dict(
                base, **_placed(sent_places, s_start + what_at, s_start + what_at + len(what), home),
                event_id=event_id(article.article_id, sentence, value, sentence[a_start:a_end]),
                date=when, end=when, granularity="day", timex=value,
                date_text=re.split(r"\s+(?:after|before|of)\s+", sentence[a_start:a_end])[0],
                dated=True, title=title[:1].upper() + title[1:], category=categorise(what, sentence),
                actors=[name for name in actors if name.split()[-1] in what], confidence=0.6,
            ))
            own_dated = records[-1]
        if seen_values and published is not None and all(r["date"] > published for r in records[first_here:]) \
                and _reported(_QUOTED.sub("", sentence)):
            # "The agency decided the boy should go home by Jan. 14, the commissioner told
            # reporters": a statement about days to come, made on the story's day
            told = _story_day(filed + records[:first_here], published)
            if told is not None and told["timex"] not in seen_values:
                seen_values.add(told["timex"])
                records.append(dict(base, **_dated_as(told, article.article_id, sentence),
                                    title=make_title(headline, 0, 0, found, last_person), category="statement",
                                    actors=actors))
        persons = [name for name in actors if len(name.split()) >= 2 and not _ORG_WORDS.search(name)]
        if persons:
            last_person = persons[-1].split()[-1]
        if seen_values:
            continue
        unresolved_here = [text[s:e] for s, e in sorted(unresolved) if s_start <= s < s_end]
        named = _named_event(sentence, records) if not unresolved_here else None
        if named is not None:
            # "the bombing", "the slaying": an event the article dated before, named again
            record, noun = named
            records.append(dict(
                base, event_id=event_id(article.article_id, sentence, record["timex"], noun),
                date=record["date"], end=record["end"], granularity=record["granularity"],
                timex=record["timex"], date_text=record["date_text"], dated=True,
                title=make_title(headline, 0, 0, found, last_person), category=record["category"],
                actors=actors, confidence=0.5,
            ))
            continue
        told = _inherited_date(filed + records, own_dated, published, sentence, text, s_start) \
            if not unresolved_here else None
        if told is not None:
            # Told as part of a dated event (see _inherited_date): it takes that event's date.
            records.append(dict(base, **_dated_as(told, article.article_id, sentence),
                                title=make_title(headline, 0, 0, found, last_person),
                                category=categorise(sentence), actors=actors))
            continue
        if _REPORTING.search(sentence) or unresolved_here:
            undated.append(dict(
                base, event_id=event_id(article.article_id, sentence, "", ""),
                date=None, end=None, granularity="", timex="",
                date_text=unresolved_here[0] if unresolved_here else "", dated=False,
                title=make_title(headline, 0, 0, found, last_person), category=categorise(sentence),
                actors=actors, confidence=0.4,
            ))
            if published is not None and not unresolved_here and _reported(sentence) \
                    and _story_day(filed + records, published) is None:
                early.append(undated[-1])
    # Statements reported before the text tells any day ("..., the communist leadership
    # warned." above "... on Wednesday"): the story's day is the first one it tells.
    first = next((r for r in records if r["granularity"] == "day" and r["date_text"] and r["confidence"] >= 0.6
                  and published - _STORY_WINDOW <= r["date"] <= published), None) if early else None
    if first is not None:
        for row in early:
            row.update(_dated_as(first, article.article_id, row["sentence"]))
        undated = [r for r in undated if not r["dated"]]
        records = sorted(records + early, key=lambda r: r["start_char"])
    return records + undated
