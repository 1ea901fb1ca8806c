"""Actors: the people and organisations a sentence names, role titles stripped, and who said
what ("Tsikhanouskaya, the leader whose husband was freed, said ...")."""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from timeline.extract.vocabulary import BEFORE_REACH, EventWords, has_verb, words
from timeline.read.sentences import words as sentence_words

_POSSESSIVE = re.compile(r"[\u2019']s$")
_QUOTES = ("``", "''", '"', "\u201c", "\u2018", "'")
_ASIDE = re.compile(r"[\w\s.'\u2019-]*+")  # an aside is such a run ending at a comma


def _opens(sentence: str, at: int) -> bool:
    """Whether the word at `at` opens the sentence or a quotation in it ('He said: "We ...',
    '"We ...'), where it is capitalised anyway. Reads back from `at` over white space and a
    quote mark only, so that the names of a sentence cost no more than its length."""
    def skip_space(i: int) -> int:
        while i > 0 and sentence[i - 1].isspace():
            i -= 1
        return i

    i = skip_space(at)
    if i == 0:
        return True
    for quote in _QUOTES:
        if sentence.endswith(quote, 0, i):
            opened = i - len(quote)
            j = skip_space(opened)
            if opened == 0 or (j > 0 and sentence[j - 1] in ":,"):
                return True
    return False


def _clean_name(name: str, w: EventWords) -> str:
    name = w.role.sub("", name).strip(" -'\u2019")
    return _POSSESSIVE.sub("", name)


def _trimmed(words_: list[str], place_names: set[str], w: EventWords) -> list[str]:
    """The words of a capitalised run without the words that cannot begin a name ("The",
    "Thursday", "Sept") or end one (a connector, a place: "accused Minsk of ...")."""
    while words_ and (words_[0] in w.not_actors or words_[0].rstrip(".").lower() in w.month_words):
        words_ = words_[1:]
    while words_ and (words_[-1] in w.connectors or words_[-1] in place_names):
        words_ = words_[:-1]
    return words_


def _no_single_name(name: str, is_org: bool, common: frozenset[str], w: EventWords) -> bool:
    """One word that is no name: "NATO-led", "B-plus"; "Peoria, Ill."; a lone "Ministry";
    a word the article also writes in lower case ("Security is tight")."""
    return bool(w.not_a_name.search(name) or name.lower() in common or name in w.us_states
                or name.lower() in sentence_words().abbreviations
                or (is_org and w.organisation.fullmatch(name) and not name.isupper() and name not in w.agencies))


def _candidate(sentence: str, m: re.Match, place_names: set[str], w: EventWords) -> str | None:
    """The name a capitalised run `m` of `sentence` gives, role titles stripped, or None."""
    words_ = m.group().split()
    if words_[0] in w.compass and len(words_) > 1:
        return None  # "South Carolina", "West Virginia", "East Africa": a region, no actor
    words_ = _trimmed(words_, place_names, w)
    named = w.naming.search(sentence, max(0, m.start() - BEFORE_REACH), m.start())
    if not words_ or named or w.named_thing.match(sentence, m.end()):
        return None  # "codenamed Amber Shield": the name of a thing, not of an actor
    name = " ".join(words_)
    # Role titles go ("US President Donald Trump"); an organisation keeps its whole name
    # ("Polish Interior Ministry", not "Ministry").
    name = name.strip(" -'\u2019") if w.organisation.search(name) else _clean_name(name, w)
    name = _POSSESSIVE.sub("", name)
    if not name or name in place_names or name.upper() == name and len(name) <= 3 and name not in ("EU", "UN", "AP"):
        return None
    if name.split()[0] in w.not_actors or name.lower() in w.month_words:
        return None
    pieces = [_POSSESSIVE.sub("", p) for p in re.split(r"[\s-]+", name)]
    if all(p in place_names or p in w.not_actors for p in pieces):
        return None  # "Kuznica-Grodno", "Russia's Kaliningrad", "Middle East"
    return name


def find_actors(sentence: str, place_names: set[str], known: dict[str, str],
                common: frozenset[str] = frozenset()) -> list[tuple[str, int]]:
    """People and organisations named in `sentence`, role titles stripped, in order, each
    with the offset of its mention in the sentence.

    `known` maps a surname (or short form) to the full name seen earlier in the article
    and learns new full names as it goes ("Lukashenko" -> "Alexander Lukashenko").
    `common` holds the words the article also writes in lower case: a single capitalised
    word among them is a common noun ("Security is tight", "the Federal crime"), no name.
    """
    w = words()
    found: list[tuple[str, int]] = []
    names: set[str] = set()
    for m in w.name.finditer(sentence):
        name = _candidate(sentence, m, place_names, w)
        if name is None:
            continue
        parts = name.split()
        is_org = bool(w.organisation.search(name))
        if len(parts) == 1 and _no_single_name(name, is_org, common, w):
            continue
        if len(parts) == 1 and not is_org:
            full = known.get(name)
            if full:
                name = full
            elif _opens(sentence, m.start()):
                continue  # a capitalised first word is no evidence of a name
        elif len(parts) >= 2 and not is_org:
            known.setdefault(parts[-1], name)
            known.setdefault(parts[0], name)  # signed "Donald": Donald Trump
        if w.not_actor_ending.search(name):
            continue
        if name not in names:
            names.add(name)
            found.append((name, m.start()))
    return found


def is_person(name: str) -> bool:
    """A name of two words or more that is no organisation's, none of whose capitalised
    words is a word of `not_in_person_names` ("A Long Way From"): a person's."""
    w = words()
    parts = name.split()
    return len(parts) >= 2 and not w.organisation.search(name) \
        and not any(p[:1].isupper() and p.casefold() in w.not_in_person_names for p in parts)


@lru_cache(maxsize=8)
def _speech_verbs(sentence: str) -> tuple[tuple[int, int], ...]:
    """The spans of the speech verbs of `sentence`, found once however many dates ask."""
    return tuple(m.span() for m in words().speech_verb.finditer(sentence))


def _last_before(actors: list[tuple[str, int]], at: int) -> int:
    """How many of `actors` (in text order) are named before offset `at`."""
    return bisect.bisect_left(actors, at, key=lambda actor: actor[1])


def speaker(sentence: str, actors: list[tuple[str, int]]) -> str:
    """The surname of the person whose words the sentence reports ("Trump has said he ...")."""
    verbs = _speech_verbs(sentence)
    if not verbs:
        return ""
    before = _last_before(actors, verbs[0][0])
    return actors[before - 1][0].split()[-1] if before else ""


def group_speaker(sentence: str, actors: list[tuple[str, int]]) -> tuple[str, int]:
    """(the name a reported "it" or "they" stands for, where that pronoun is): the
    organisation named right before the speech verb it follows ("the Soviet Union said today
    it had sent": "Soviet Union"), with nothing but a few words and no verb between them.
    ('', -1) when there is none."""
    w = words()
    for start, end in _speech_verbs(sentence):
        after = w.group_pronoun_after_speech.match(sentence, end)
        if after is None:
            continue
        before = _last_before(actors, start)
        if not before:
            return "", -1
        name, at = actors[before - 1]
        between = sentence[at + len(name):start]
        if len(between) > 30 or has_verb(between, w) or is_person(name):
            return "", -1  # (a person is "he" or "she", not "it")
        # one word may be the tail of a name cut short ("Dow Jones & Co": "Co"): only an agency's
        pronoun = after.end() - 1
        while pronoun > end and not sentence[pronoun - 1].isspace():
            pronoun -= 1
        return (name if len(name.split()) > 1 or name in w.agencies else ""), pronoun
    return "", -1


def speaker_of(sentence: str, left: int, date_at: int, actors: list[tuple[str, int]]) -> list[str]:
    """The speaker, when the date at `date_at` (in the clause starting at `left`) is in what
    someone said: the name just before the verb, or, where an aside stands between them
    ("Tsikhanouskaya, the leader whose husband Siarhei was freed, said ..."), the name before
    the aside."""
    verbs = _speech_verbs(sentence)
    i = bisect.bisect_right(verbs, date_at, key=lambda span: span[1])  # the verbs ending before the date
    if not i or verbs[i - 1][0] < max(0, left - 12):
        return []
    verb = verbs[i - 1][0]
    before = _last_before(actors, verb)
    if not before:
        return []
    comma = verb
    while comma > 0 and sentence[comma - 1].isspace():
        comma -= 1
    if comma > 0 and sentence[comma - 1] == ",":
        read_to = 0
        for name, at in actors[:before]:  # the aside opens with a comma right after the subject's name
            if at < read_to:
                continue  # its run ends where the last one read did, at no comma
            mention = _ASIDE.match(sentence, at)
            if sentence.startswith(",", mention.end()):
                return [name]
            read_to = mention.end()
    return [actors[before - 1][0]]
