"""The words the place finder reads, from `timeline/lang/<code>/places.yaml`, checked and
compiled once: country aliases, demonyms, words that are no places, the verbs that make a
capital its government, the phrases of an unnamed border point."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from timeline.errors import DataError
from timeline.extract.places.fold import fold
from timeline.lang import current, in_use, layered, upper_class


_U = upper_class()
# a capitalised word, an initialism ("U.S.") or an abbreviation that starts a name ("St. Petersburg")
_WORD = (rf"(?:[{_U}]\.){{2,}}|(?:St|Ste|Mt|Ft|[{_U}])\.(?=[ \u00a0]+[{_U}])"  # U.S.; St. Petersburg; Donald A. Trump
         rf"|[{_U}]\w*(?:['’]\w+)*")
_JOIN = r"(?:[ \u00a0]+|[ \u00a0]*[-–][ \u00a0]*)"


@dataclass(frozen=True)
class PlaceWords:
    """A language's place words (see places.yaml), as the finder uses them."""

    country_aliases: tuple[tuple[str, str, str, str], ...]  # phrase, country, kind, metonym
    demonyms: dict[str, str]  # folded form -> ISO country code
    skip_phrases: frozenset[str]  # folded
    exact_case: dict[str, str]  # folded -> the only way it may be written ("US")
    stop: frozenset[str]
    titles: frozenset[str]
    needs_preposition: frozenset[str]
    person_like_countries: frozenset[str]
    location_prepositions: frozenset[str]
    function: frozenset[str]
    reporting: frozenset[str]
    government_verbs: frozenset[str]
    government_auxiliaries: frozenset[str]
    government_copulas: frozenset[str]
    government_adverbs: frozenset[str]
    city_predicates: frozenset[str]
    government_nouns: frozenset[str]
    not_a_subject: frozenset[str]
    determiners: frozenset[str]
    ready: frozenset[str]
    suffixes: frozenset[str]
    sequence: re.Pattern  # a run of capitalised words, connectors and a suffix
    token: re.Pattern  # one word of such a run
    title_before: re.Pattern
    apposition: re.Pattern
    introduced: re.Pattern
    border: re.Pattern
    crossing_words: re.Pattern


def _set(res, key: str) -> frozenset[str]:
    return frozenset(res.words(key))


def words(lang: str | None = None) -> PlaceWords:
    """The place words of `lang` (default: the language being read, `timeline.lang.current`),
    read and compiled once: its places.yaml over English's (`timeline.lang.layered`: a
    language says only what differs, its prepositions and function words), English's where
    it has none; DataError naming the file and entry for a malformed one."""
    return _words(language(lang))


def language(lang: str | None = None) -> str:
    """The language whose place words serve `lang` (default: the one being read)."""
    return _serving(lang or current())


@lru_cache(maxsize=None)
def _serving(code: str) -> str:
    # remembered: the place finder asks for its words a few hundred thousand times a megabyte
    return in_use("places", code)


@lru_cache(maxsize=None)
def _words(lang: str) -> PlaceWords:
    res = layered("places", lang)
    aliases = res.rows("country_aliases", 4)
    demonyms = {}
    for forms, cc in res.rows("demonyms", 2):
        if len(cc) != 2:
            raise DataError(f"{res.path}: demonyms: {forms}: {cc!r} is not an ISO country code")
        for form in forms.split(","):
            demonyms[fold(form)] = cc
    connectors, suffixes = "|".join(res.words("name_connectors")), "|".join(res.words("name_suffixes"))
    titles = _set(res, "titles")
    followers = "|".join(res.words("apposition_followers"))
    return PlaceWords(
        country_aliases=aliases, demonyms=demonyms, exact_case=_exact_case_forms(aliases),
        skip_phrases=frozenset(fold(p) for line in res.raw("skip_phrases").splitlines()
                               for p in line.split("|") if p.strip()),
        stop=_set(res, "stop_words"), titles=titles, needs_preposition=_set(res, "needs_preposition"),
        person_like_countries=_set(res, "person_like_countries"),
        location_prepositions=_set(res, "location_prepositions"), function=_set(res, "function_words"),
        reporting=_set(res, "reporting_verbs"), government_verbs=_set(res, "government_verbs"),
        government_auxiliaries=_set(res, "government_auxiliaries"),
        government_copulas=_set(res, "government_copulas"), government_adverbs=_set(res, "government_adverbs"),
        city_predicates=_set(res, "city_predicates"), government_nouns=_set(res, "government_nouns"),
        not_a_subject=_set(res, "location_prepositions") | _set(res, "not_a_subject"),
        determiners=_set(res, "determiners"), ready=_set(res, "ready"), suffixes=_set(res, "name_suffixes"),
        sequence=re.compile(rf"(?<![\w.])(?:{_WORD})(?:{_JOIN}(?:(?:{connectors}){_JOIN})*(?:{_WORD}))*"
                            rf"(?:[ \u00a0]+(?:{suffixes})\b)?"),
        token=re.compile(rf"{_WORD}|\b(?:{connectors}|{suffixes})\b"),
        title_before=re.compile(r"\b(?:" + "|".join(sorted(titles)) + r")\.?[ \u00a0]+$"),
        apposition=re.compile(r",\s+(?:a|the)\s+(?:\w+\s+)?(?:" + "|".join(res.words("apposition_kinds"))
                              + r")\b", re.I),
        introduced=re.compile(rf",\s+([A-Z][\w.' -]{{2,40}}?)(?=[,.;:)]|\s+(?:{followers})\b)"),
        border=re.compile(res.pattern("border_phrases"), re.X | re.I),
        crossing_words=re.compile(rf"[ \u00a0]+{res.pattern('crossing_words')}\b", re.I),
    )


def _exact_case_forms(aliases) -> dict[str, str]:
    # "US" must be written so (not "Us"); "Nato" and "NATO" are both fine.
    forms: dict[str, set[str]] = defaultdict(set)
    for row in aliases:
        forms[fold(row[0])].add(row[0])
    return {key: next(iter(f)) for key, f in forms.items()
            if len(f) == 1 and all(x.replace(".", "").isupper() and len(x.replace(".", "")) <= 4 for x in f)}
