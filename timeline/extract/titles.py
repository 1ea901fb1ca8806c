"""Titles: a short headline-style clause for an event, from the clause around its date."""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from timeline.extract.actors import group_speaker, speaker
from timeline.extract.clauses import CLAUSE_REACH, clause_bounds, first_break_start
from timeline.extract.vocabulary import BEFORE_REACH, EventWords, has_verb, words

TITLE_WORDS = 16
"""A title longer than this many words is cut where a phrase ends (else with an ellipsis)."""

TITLE_CHARS = 80
"""... or longer than this many characters."""

MIN_TITLE_WORDS = 6
"""A title cut where a phrase ends keeps at least this many words."""

_STRIP = " ,.;:\"'\u201c\u201d"
_YEAR = re.compile(r"\d{4}")


def _unattributed(text: str) -> str:
    """`text` without the attribution it opens or ends with ("..., the ministry said."),
    unless it opens with one whose verb takes an object (`attribution_objects`) and what is
    left has no verb: then the telling is what happened ("State television reported the
    exchange in a 30-second item", not "The exchange in a 30-second item")."""
    w = words()
    left = _attribution_removed(text, w)
    if left is not text and w.knows_verbs and len(left.split()) >= 2 and not has_verb(left, w):
        opening = w.attribution_opening.match(text)
        verbs = w.attribution_verbs.findall(opening.group()) if opening else []
        if verbs and verbs[-1].casefold() in w.attribution_objects:
            return text
    return left


def _attribution_removed(text: str, w: EventWords) -> str:
    """`w.attribution.sub("", text)`: the attribution `text` opens or ends with left out."""
    if not w.attribution_verbs.search(text):
        return text
    if not w.attribution_end.search(text):  # none ends it: the lead need not be tried at every character
        return w.attribution_opening.sub("", text)
    return w.attribution.sub("", text)


@lru_cache(maxsize=8)
def _main_clause(sentence: str) -> str:
    """The sentence's main clause (up to its first break, if that is not too near the start)
    without its attribution: read once per sentence, however many of its dates need it."""
    w = words()
    end = first_break_start(sentence, 0)
    if end is not None and w.knows_verbs and not has_verb(sentence[:end], w):
        end = None  # "In late 1919 and early 1920, Polish units started ...": the lead-in alone says nothing
    # at most CLAUSE_REACH characters: a title is a few words of it, and the many dates of one
    # long sentence may each ask for it
    clause = sentence[:min(end if end is not None and end > 20 else len(sentence), CLAUSE_REACH)]
    return _unattributed(clause).strip(_STRIP)


def make_title(sentence: str, start: int, end: int, actors: list[tuple[str, int]],
               subject: str = "") -> str:
    """A short headline-style clause for the event whose date is sentence[start:end]
    (the whole sentence's gist when start == end). `subject` replaces a leading He/She."""
    w = words()
    if start == end:
        clause = _unattributed(sentence).strip(_STRIP)
    else:
        clause, before = _date_clause(sentence, start, end, actors, w)
        if _verb_first(clause, w):  # "came back into force": the sentence's subject says what did
            who = before + " " if before else _opening_subject(sentence, w) or _speaking(clause, sentence, actors, w)
            clause = who + clause
    if len(clause.split()) < 3:  # too little left: the sentence's main clause tells it better
        clause = _main_clause(sentence)
    if w.subject_pronoun.match(clause):
        who = speaker(sentence, actors)
        if who or subject:
            clause = w.subject_pronoun.sub(who or subject, clause)
    elif w.group_pronoun.match(clause) and not w.dummy_pronoun.match(clause):
        who, at = group_speaker(sentence, actors)
        if who and sentence[at:].split()[:3] == clause.split()[:3]:  # that very "it", not another clause's
            clause = w.group_pronoun.sub(who, clause)
    if len(clause) > TITLE_CHARS:  # asides go first: "Lukashenko, a close ally of ..., to release"
        clause = w.title_aside.sub(" ", clause)
    title = " ".join(_ended(_shortened(clause.split(), w), w))
    if title.count("\u201c") > title.count("\u201d"):  # a cut inside a quotation closes it
        title = title.rstrip("\u2026") + "\u201d"
    title = _balanced(title)
    return title[:1].upper() + title[1:]


def _balanced(title: str) -> str:
    """`title` with its straight quotation marks paired: a quotation the title opens and
    cuts is closed ('would be "the real test' -> '... "the real test"'), one it starts inside
    of is opened ('Nobody can afford it," said X' -> '"Nobody can afford it," said X')."""
    if title.count('"') % 2 == 0:
        return title
    first = title.index('"')
    if first > 0 and not title[first - 1].isspace():  # it closes a quotation opened before the title
        return '"' + title
    return title.rstrip("\u2026") + '"'


_OPENING = re.compile(r"\s*([A-Z][\w'\u2019.-]*(?:\s+[\w'\u2019.-]+){0,5}?)\s*,")
_FIRST_WORD = re.compile(r"[a-z][\w'\u2019-]*")


def _verb_first(clause: str, w: EventWords) -> bool:
    """Whether `clause` opens with a verb in lower case ("came back into force", "was
    convicted"): it lacks its subject."""
    first = _FIRST_WORD.match(clause)
    return first is not None and bool(w.finite_verb.fullmatch(first.group()) or w.past_verb.fullmatch(first.group()))


def _opening_subject(sentence: str, w: EventWords) -> str:
    """The name a sentence opens with before an aside ("The UN measures, which include ...,
    came back"; "Darren Whitworth, 47, of Horwich, was convicted"), followed by a space: at
    most six words, no verb, no scene-setting opener ("In 1987,"); '' when there is none."""
    m = _OPENING.match(sentence)
    if m is None:
        return ""
    subject = m.group(1)
    if w.scene_opening.match(subject) or has_verb(subject, w):
        return ""
    return subject + " "


def _ended(title_words: list[str], w: EventWords) -> list[str]:
    """`title_words` without the words of `title_never_ends` they end with, as written (a
    clause cut after "and" or "which"), and then without a comma, keeping at least three words."""
    cut = False
    while len(title_words) > 3 and title_words[-1].strip(_STRIP) in w.title_never_ends:  # "Serie A" stays
        title_words, cut = title_words[:-1], True
    return title_words[:-1] + [title_words[-1].rstrip(",;:")] if cut else title_words


def _speaking(clause: str, sentence: str, actors: list[tuple[str, int]], w: EventWords) -> str:
    """The speaker (`speaker`) of a clause that opens with a verb of speech ("..., Hamid
    Rezaei, told reporters outside the venue"), followed by a space; '' for another clause."""
    if not w.speech_verb.match(clause):
        return ""
    who = speaker(sentence, actors)
    return who + " " if who else ""


def _shortened(title_words: list[str], w: EventWords) -> list[str]:
    """At most TITLE_WORDS words and TITLE_CHARS characters: cut where a phrase ends (before
    a word of `title_cut_before` or after a comma) as late as it can and after
    MIN_TITLE_WORDS, else cut at the limit with an ellipsis."""
    fits, length = 0, -1
    for word in title_words[:TITLE_WORDS]:
        length += len(word) + 1
        if length > TITLE_CHARS:
            break
        fits += 1
    if fits == len(title_words):
        return title_words
    for n in range(fits, MIN_TITLE_WORDS - 1, -1):
        if title_words[n].lower().strip(_STRIP) in w.title_cut_before or title_words[n - 1].endswith((",", ";")):
            return title_words[:n - 1] + [title_words[n - 1].rstrip(",;:")]
    cut = title_words[:max(fits, 1)]
    return cut[:-1] + [cut[-1].rstrip(",;:") + "\u2026"]


_WORD_BEFORE = re.compile(r"\b[a-z][\w'\u2019-]*\s+$")
_WORD_AFTER = re.compile(r"\s+[a-z]")


def _inside_phrase(sentence: str, start: int, end: int, w: EventWords) -> bool:
    """Whether the date sentence[start:end] stands inside a phrase, with no preposition of
    its own, between two words in lower case ("spent Sunday night in schools", "reported
    higher-than-expected first-quarter profits", "sentenced the following January to six
    years"): taken out, it would leave the phrase broken."""
    reach = max(0, start - BEFORE_REACH)
    return bool(_WORD_BEFORE.search(sentence, reach, start) and _WORD_AFTER.match(sentence, end)
                and not w.date_preposition.search(sentence, reach, start))


_WORDS = re.compile(r"[^\W\d_]{2,}")


def _nothing_left(clause: str, w: EventWords, opens: bool) -> bool:
    """Whether a date's clause, the date taken out, holds nothing of its own: at most two
    words, none a name (the first word of a sentence, `opens`, may have its capital), no verb,
    no determiner waiting for its noun ("The Aug. 7, 1998, bombings": the date is the noun's)."""
    found = _WORDS.findall(clause)
    return w.knows_verbs and len(found) <= 2 and all(word.islower() for word in found[1 if opens else 0:]) \
        and not has_verb(clause, w) \
        and not w.determiner_before.search(clause.lower() + " ")


def _next_told_clause(sentence: str, at: int, w: EventWords, reach: int = 4) -> str:
    """The first of the (at most `reach`) clauses after sentence[at] that has a verb and at
    least three words, '' when none has; one that opens with its verb takes the first clause
    passed over as its subject ("On May 6, James Kopp, 44, was charged": "James Kopp was
    charged")."""
    subject = last = ""
    for _ in range(reach):
        nxt = first_break_start(sentence, at + 1)
        end = len(sentence) if nxt is None else nxt
        raw = sentence[at:min(end, at + CLAUSE_REACH)].strip(" ,;:")
        # "..., which is ...,", "..., wondering how ...,": an aside
        aside = w.relative.match(raw) or w.title_aside_participle.match(w.title_leading_adverbs.sub("", raw))
        part = "" if aside else w.lead_words.sub("", raw)
        joined = w.names_joined.match(raw) if last and part else None
        if joined:  # "Bushnell and Kimotho met": one subject, not two clauses
            part = f"{last} {joined.group().strip()} {part}"
        if len(part.split()) >= 3 and has_verb(part, w):
            part = _with_named_pair(sentence, end, part, w)
            if not _verb_first(w.title_leading_adverbs.sub("", part), w):
                return part
            return (subject + " " + part) if subject else ""  # a verb with no subject to give it: none
        if raw:  # (a break may start again inside the last one: nothing between them)
            last = part if 1 <= len(part.split()) <= 6 and _WORDS.search(part) and not has_verb(part, w) \
                and not w.scene_opening.match(part) else ""
            subject = subject or last
        if nxt is None:
            return ""
        at = nxt
    return ""


def _with_named_pair(sentence: str, end: int, part: str, w: EventWords) -> str:
    """`part` (ending at sentence[end], a break) with the words after an "and" that joins two
    names rather than two clauses ("through Omani and Swiss intermediaries"): the break after
    a capitalised word, and no verb before the next break."""
    last = part.split()[-1] if part.split() else ""
    if not last[:1].isupper() or not w.names_joined_before_name.match(sentence, end):
        return part
    nxt = first_break_start(sentence, end + 5)
    rest = sentence[end:len(sentence) if nxt is None else nxt].rstrip(" .;:,")
    return part if has_verb(rest, w) else part + rest


def _date_clause(sentence: str, start: int, end: int, actors: list[tuple[str, int]],
                 w: EventWords) -> tuple[str, str]:
    """(the clause around the date sentence[start:end], the date and its preposition left out
    (unless the date belongs to a noun: "a 2010 election"), scene-setting openers, asides and
    attributions dropped, a leading relative pronoun replaced by the name it stands for;
    the subject written before the clause for a clause that opens with its verb (see
    `_antecedent`, `_earlier_subject`), else '')."""
    left, right = clause_bounds(sentence, start, end)
    date_text = sentence[start:end]
    reach = max(0, start - BEFORE_REACH)
    determined = _YEAR.fullmatch(date_text) and w.determiner_before.search(sentence, reach, start)
    modifier = determined or w.possessive_after.match(sentence, end) \
        or w.title_keeps_date_after.search(sentence, reach, start) \
        or _inside_phrase(sentence, start, end, w)
    if modifier:  # "a 2010 election", "Thursday's release", "before the end of March": the date stays
        clause, date_at = sentence[left:right], start - left
    else:
        before = w.date_preposition.sub("", sentence[left:start]).rstrip()
        trailer = w.date_trailer.match(sentence, end, right)  # "over the next year or so": "or so" goes too
        clause, date_at = (before + " " + sentence[trailer.end() if trailer else end:right]).strip(), len(before)
    if left == 0 and w.scene_opening.match(clause) and not w.finite_verb.search(clause) and right < len(sentence):
        # "In composite trading yesterday, Aetna closed at $59.50": the lead-in sets the
        # scene; the clause after it says what happened.
        nxt = first_break_start(sentence, right + 1)
        after = sentence[right: min(len(sentence) if nxt is None else nxt, right + CLAUSE_REACH)].lstrip(" ,;:")
        if len(after.split()) >= 3:
            clause, date_at = after, 0
    elif _nothing_left(clause, w, left == 0) and right < len(sentence):
        # the date's own clause says nothing once the date is out ("That autumn, the
        # Bolsheviks seized power"; "..., and on 1 July, the first day of the Somme, the
        # British army lost 57,000 men"): the next clause with a verb says what happened
        after = _next_told_clause(sentence, right, w)
        if after:
            clause, date_at = after, 0
    whose = None
    for whose in w.whose.finditer(clause, 0, date_at):
        pass
    used = whose is not None and whose.start() > 0 and len(clause[whose.end():].split()) >= 3
    subject = ""
    if used:
        clause = clause[whose.end():]  # "the leader whose husband Siarhei was freed" -> "Siarhei was freed"
        if len(whose.group().split()) == 1:  # "a reporter who was detained": who was
            subject = _antecedent(sentence, left + whose.start(), whose.group().strip(), actors, w, clause)
    clause = _unattributed(clause).strip(_STRIP)
    relative = None if used else (w.relative.match(clause) or w.relative.match(w.lead_words.sub("", clause)))
    if relative:
        # "Statkevich, who ran against Lukashenko": the pronoun stands for the name before it;
        # "the government of Alexander Lukashenko, which has pardoned": for that government
        rest = relative.string[relative.end():]
        name = _antecedent(sentence, left, relative.group().strip(), actors, w, rest)
        return (name + " " if name else "") + rest, ""
    joined = w.verb_coordinator_start.match(clause) \
        or w.verb_coordinator_before.search(sentence, max(0, left - 12), left)
    clause = w.lead_words.sub("", clause)
    if not used and joined:
        subject = _earlier_subject(sentence, left, w)  # "Leaders adopted ..., and welcomed"
    return clause, subject


_TOKEN = re.compile(r"[^\s,;:()\u2014\u2013\"\u201c\u201d]+")
_PUNCTUATION = re.compile(r"[,;:()\u2014\u2013]")
ANTECEDENT_WORDS = 10
"""A noun phrase a relative pronoun stands for is at most this many words."""


def _antecedent(sentence: str, at: int, pronoun: str, actors: list[tuple[str, int]], w: EventWords,
                rest: str) -> str:
    """What the relative pronoun at sentence[at] stands for, as the subject of `rest`, the
    clause after it: for one of `person_relatives` the person named last before it (see
    `_person_before`), else the noun phrase just before it ("the government of Alexander
    Lukashenko, which"), read back to a word of `antecedent_stops` or a punctuation mark,
    and through one of `antecedent_openers`, when `rest` opens with its verb (the pronoun
    is its subject); '' when there is none, or it holds a verb."""
    if pronoun.casefold() in w.person_relatives:
        return _person_before(sentence, at, actors, w, rest)
    if not w.antecedent_openers or not _verb_first(w.title_leading_adverbs.sub("", rest), w):
        return ""  # "its construction, which the council had scheduled": the pronoun is the object
    head = sentence[max(0, at - 40 * ANTECEDENT_WORDS):at].rstrip(" ,")
    tokens = list(_TOKEN.finditer(head))
    if not tokens or tokens[-1].end() != len(head):
        return ""
    opens = None
    for k in range(len(tokens) - 1, -1, -1):
        word = tokens[k].group().casefold()
        if word in w.antecedent_stops or (k + 1 < len(tokens) and head[tokens[k].end():tokens[k + 1].start()].strip()):
            break
        if len(tokens) - k > ANTECEDENT_WORDS:
            return ""  # no end in sight: not a phrase this reads
        opens = tokens[k].start()
        if word in w.antecedent_openers:
            break
    phrase = head[opens:] if opens is not None else ""
    return "" if not phrase or has_verb(phrase, w) else phrase


def _person_before(sentence: str, at: int, actors: list[tuple[str, int]], w: EventWords, rest: str) -> str:
    """The surname of the person a "who" at sentence[at] stands for: the last name (no
    organisation's, none after a determiner: "a Democratic consultant") written before it,
    at most CLAUSE_REACH characters, with no verb and no "and" between ("Tomas Zemaitis, 41,
    a reporter for a news site who"; not "Dr Smith and a nurse who"); '' when there is none,
    when `rest` names that person again ("a jogger who spotted Kopp's car") or opens with a
    plural verb ("13 Cubans who were trying")."""
    first = rest.split()[:1]
    if first and first[0].casefold() in w.plural_verbs:
        return ""
    k = bisect.bisect_left(actors, at, key=lambda actor: actor[1])  # actors are in text order
    upto = at  # the text from here to `at` has been read: no verb, no "and"
    while k > 0:
        k -= 1
        name, offset = actors[k]
        parts = name.split()
        if offset < at - CLAUSE_REACH:
            return ""
        if not parts or offset + len(parts[0]) >= upto:
            continue
        between = sentence[offset + len(parts[0]):upto].replace("-", "_")  # "Kaunas-based" is no verb
        if has_verb(between, w) or w.verb_coordinator.search(between):
            return ""  # ... and it stands between every earlier name and the pronoun too
        upto = offset + len(parts[0])
        if w.organisation.search(name) or w.determiner_before.search(sentence, max(0, offset - BEFORE_REACH), offset):
            continue
        return "" if re.search(rf"\b{re.escape(parts[-1])}\b", rest) else parts[-1]
    return ""


def _earlier_subject(sentence: str, at: int, w: EventWords) -> str:
    """The subject of the clause a verb phrase at sentence[at] is joined to ("Leaders also
    adopted conclusions ..., and welcomed": "Leaders"; "She said the two teams had sat down
    ..., and had agreed": "the two teams"): the words before the first verb of the sentence
    (or of what was said, after "said"), after any punctuation, adverbs left out, read at
    most CLAUSE_REACH characters back; at most six words with no verb, '' when there are
    none or they open with a relative pronoun."""
    origin = max(0, at - CLAUSE_REACH)
    for said in w.said.finditer(sentence, origin, at):
        origin = said.end()
    verbs = [m for m in (w.finite_verb.search(sentence, origin, at), w.past_verb.search(sentence, origin, at)) if m]
    if not verbs:
        return ""
    verb = min(verbs, key=lambda m: m.start())
    if not sentence[verb.start() - 1:verb.start()].isspace():
        return ""  # "nose-dived": a word's second half
    for mark in _PUNCTUATION.finditer(sentence, origin, verb.start()):
        origin = mark.end()
    subject = sentence[origin:verb.start()].strip(" ,;:")
    if w.relative.match(subject):
        return ""  # "the giant, which last year accounted": the subject is before it
    kept = w.lead_words.sub("", subject).split()
    while kept and w.title_leading_adverbs.match(kept[-1] + " "):
        kept.pop()
    subject = " ".join(kept)
    if not 1 <= len(kept) <= 6 or has_verb(subject, w) or w.scene_opening.match(subject):
        return ""
    return subject
