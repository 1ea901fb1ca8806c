"""Finding places in text: toponyms, demonyms, metonyms and unnamed border points, with
character offsets, a country and, where a pin makes sense, coordinates."""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import yaml
from anyascii import anyascii

from timeline.errors import DataError, InputError
from timeline.extract.places.crossings import Crossing, crossing_for, default_crossing
from timeline.extract.places.fold import fold
from timeline.extract.places.gazetteer import (
    MIN_POPULATION_ALTERNATE, MIN_POPULATION_BIG, MIN_POPULATION_IN_TEXT, TIER_ALTERNATE, TIER_CURATED, Gazetteer,
    Place, country_name, load_gazetteer,
)
from timeline.extract.places.words import language, words
from timeline.read import sentences


@dataclass(frozen=True)
class PlaceMention:
    """A place named in a text.

    `start`/`end`: offsets of `text` in the article. `name`: the place's
    canonical name (a country's name for demonyms and metonyms). `country`:
    ISO alpha-2 ("" for organisations and continents; a crossing's first
    country). `kind`: city, country, crossing, settlement, region, facility,
    organisation or demonym. `lat`/`lon`: None where no pin makes sense
    (demonyms, metonyms, organisations). `metonym`: a capital or seat named for
    its government ("Washington will grant"). `inferred`: the text does not
    name the place; it was worked out ("the no-man's zone at the border").
    `countries`: every country involved (both sides of a crossing).
    """

    start: int
    end: int
    text: str
    name: str
    country: str
    kind: str
    lat: float | None
    lon: float | None
    metonym: bool = False
    inferred: bool = False
    countries: tuple[str, ...] = ()


_PREV_WORD_RE = re.compile(r"(\w+)\W*$")
_NEXT_WORDS_RE = re.compile(r"[ \u00a0]+([A-Za-z]+)")
_POSSESSIVE_RE = re.compile(r"['’]s$")
_MAX_NGRAM = 6


@dataclass
class _Candidate:
    start: int
    end: int
    entries: list[tuple[int, Place]]  # gazetteer (tier, place) pairs, best first; [] for a demonym
    country: str  # the demonym's country
    prep: bool  # a location preposition right before ("in Minsk")
    preceded_by_name: bool  # a capitalised name or a title right before, in the same name
    followed_by_name: bool  # a capitalised name right after, in the same name
    single: bool  # one token


def find_places(text: str) -> list[PlaceMention]:
    """The places named in `text`, in order of appearance.

    Finds toponyms the gazetteer knows (countries and their common forms,
    cities, crossings by any alias, curated places), demonyms ("Belarusian" ->
    BY, no pin), capitals standing for their government ("Minsk said" -> BY,
    metonym, no pin) and unnamed border points ("the no-man's zone at the
    border" -> the default crossing of the border between the countries the
    sentence names, inferred). A smaller GeoNames city is accepted only where
    the article gives it support: a preposition before it, or its country
    named elsewhere in the article; a small town needs both, unless the text
    says what it is right after naming it ("Sejny, Poland", "Sejny, a town
    near the border"). Loads the gazetteer on first use.
    """
    gaz = load_gazetteer()
    candidates, surnames = _scan(text, gaz)
    # first the mentions that stand on their own, then the ones that need the
    # article's countries to be believed
    strong = [_judge(text, c, gaz, surnames, frozenset()) for c in candidates]
    support = frozenset(cc for m in strong if m is not None for cc in m.countries)
    mentions = [m if m is not None else _judge(text, c, gaz, surnames, support)
                for m, c in zip(strong, candidates)]
    mentions = [m for m in mentions if m is not None]
    mentions.extend(_border_mentions(text, mentions))
    mentions.sort(key=lambda m: (m.start, m.end))
    return mentions


def _scan(text: str, gaz: Gazetteer) -> tuple[list[_Candidate], set[str]]:
    """Capitalised word sequences -> their longest gazetteer or demonym matches,
    and the surnames of person-like names (two or more capitalised words that
    are not a strong place: "Fidel Castro" -> castro)."""
    w = words()
    candidates: list[_Candidate] = []
    surnames: set[str] = set()
    for seq in w.sequence.finditer(text):
        base = seq.start()
        tokens, kinds, hits, namey = _reading(seq.group(), gaz, language())
        title_before = bool(w.title_before.search(text, max(0, base - 16), base))
        for i, j, entries, cc, start, end in hits:
            if entries == []:  # a phrase that is not a place
                continue
            before = (i > 0 and namey[i - 1] and _glued(tokens, i - 1)) or (i == 0 and title_before) \
                or (i > 0 and tokens[i - 1][2].rstrip(".") in w.titles)
            after = j < len(tokens) and namey[j] and _glued(tokens, j - 1)
            prep = _preceded_by_preposition(text, tokens, kinds, i, base)
            candidates.append(_Candidate(base + start, base + end, entries or [], cc, prep, before, after, j - i == 1))
        run: list[str] = []
        for k in range(len(tokens) + 1):
            if k < len(tokens) and namey[k] and run and _glued(tokens, k - 1):
                run.append(_POSSESSIVE_RE.sub("", tokens[k][2]))
                continue
            if len(run) >= 2:
                surnames.add(fold(run[-1]))
            run = [_POSSESSIVE_RE.sub("", tokens[k][2])] if k < len(tokens) and namey[k] else []
    return candidates, surnames


@lru_cache(maxsize=4096)
def _reading(seq: str, gaz: Gazetteer, lang: str) -> tuple[list, list[str], list, list[bool]]:
    """How a run of capitalised words reads, offsets into the run: its tokens (start, end,
    text, and the white space before the next), their kinds, its longest gazetteer and
    demonym matches (`_longest_matches`) and which tokens may be part of a person's name.
    It depends on the run's text and the language's place words (`lang`, see
    `words.language`) alone: kept for the runs an article names again."""
    w = words()
    tokens = [(m.start(), m.end(), m.group()) for m in w.token.finditer(seq)]
    tokens = [(a, b, tok, k + 1 < len(tokens) and seq[b:tokens[k + 1][0]].strip() == "")
              for k, (a, b, tok) in enumerate(tokens)]
    kinds = [_token_kind(tok) for _, _, tok, _ in tokens]
    hits = _longest_matches(seq, tokens, kinds, gaz)
    # a token is "namey" unless a strong match (curated place, country,
    # demonym) covers it: a weak GeoNames match may still be a name ("Castro")
    strong_at = [False] * len(tokens)
    for i, j, entries, _cc, _s, _e in hits:
        if entries is None or (entries and entries[0][0] == TIER_CURATED):
            for k in range(i, j):
                strong_at[k] = True
    return tokens, kinds, hits, [kinds[k] == "name" and not strong_at[k] for k in range(len(tokens))]


def _glued(tokens: list, k: int) -> bool:
    """Whether tokens k and k + 1 are written "A B" (not "A-B")."""
    return tokens[k][3]


def _token_kind(tok: str) -> str:
    w = words()
    if tok in w.suffixes:
        return "suffix"
    if tok[0].islower():
        return "connector"
    if tok.lower() in w.function and (len(tok) == 1 or tok[1:].islower()):
        return "function"
    return "name"


def _longest_matches(text: str, tokens, kinds, gaz: Gazetteer):
    """Greedy longest n-grams, left to right: (i, j, entries, demonym_cc, start, end).

    entries is None for a demonym, [] for a phrase that is not a place."""
    w = words()
    hits = []
    i = 0
    while i < len(tokens):
        if kinds[i] in ("connector", "suffix"):
            i += 1
            continue
        hit = None
        for j in range(min(len(tokens), i + _MAX_NGRAM), i, -1):
            if kinds[j - 1] == "connector" or (j - i == 1 and kinds[i] == "function"):
                continue
            start, end = tokens[i][0], tokens[j - 1][1]
            surface = text[start:end]
            if _POSSESSIVE_RE.search(surface):
                end -= 2
                surface = surface[:-2]
            key = fold(surface)
            if key in w.skip_phrases:
                hit = (i, j, [], "", start, end)
                break
            cc = w.demonyms.get(key)
            if cc is not None:
                hit = (i, j, None, cc, start, end)
                break
            entries = gaz.lookup(key) or (_cyrillic_lookup(surface, gaz) if _CYRILLIC.search(surface) else [])
            exact = w.exact_case.get(key)
            if entries and exact is not None and surface != exact:
                entries = [e for e in entries if e[0] != TIER_CURATED]
            if entries:
                hit = (i, j, entries, "", start, end)
                break
        if hit is None:
            i += 1
            continue
        hits.append(hit)
        i = hit[1]
    return hits


_CYRILLIC = re.compile("[\u0400-\u04ff]")
CYRILLIC_CASES = Path(__file__).resolve().parents[2] / "data" / "cyrillic_cases.yaml"


@lru_cache(maxsize=1)
def _case_endings() -> tuple[tuple[str, str], ...]:
    """The (case ending, nominative ending) pairs of cyrillic_cases.yaml; DataError naming the
    file when it is not a list of pairs of Cyrillic letters."""
    try:
        pairs = yaml.safe_load(CYRILLIC_CASES.read_text(encoding="utf-8"))["endings"]
        out = tuple((str(a), str(b)) for a, b in pairs)
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as e:
        raise DataError(f"{CYRILLIC_CASES}: not a list of [case ending, nominative ending] pairs ({e})") from None
    if not all(a and _CYRILLIC.match(a) and all(map(_CYRILLIC.match, b)) for a, b in out):
        raise DataError(f"{CYRILLIC_CASES}: endings must be written in Cyrillic letters")
    return out


def _cyrillic_lookup(surface: str, gaz: Gazetteer) -> list[tuple[int, Place]]:
    """The gazetteer's entries for a name in Cyrillic it does not list: the name written in
    Latin letters, as it stands or in its nominative (see cyrillic_cases.yaml), the reading
    whose first place is largest; as alternate names (a city of MIN_POPULATION_ALTERNATE
    that the article supports), since a transliteration may miss."""
    best: list[tuple[int, Place]] = []
    forms = [surface] + [surface[:-len(a)] + b for a, b in _case_endings() if surface.endswith(a)]
    for form in forms:
        entries = gaz.lookup(fold(anyascii(form).replace("'", "")))
        if entries and (not best or entries[0][1].population > best[0][1].population):
            best = entries
    return [(TIER_ALTERNATE, place) for _, place in best]


def _preceded_by_preposition(text: str, tokens, kinds, i: int, seq_start: int) -> bool:
    w = words()
    if i > 0:
        return kinds[i - 1] == "function" and tokens[i - 1][2].lower() in w.location_prepositions
    m = _PREV_WORD_RE.search(text, max(0, seq_start - 24), seq_start)
    return bool(m) and m.group(1).lower() in w.location_prepositions and text[m.end(1):seq_start].strip() == ""


def _next_words(text: str, end: int, n: int = 4) -> list[str]:
    words = []
    pos = end
    while len(words) < n:
        m = _NEXT_WORDS_RE.match(text, pos)
        if not m:
            break
        words.append(m.group(1).lower())
        pos = m.end()
    return words


def _judge(text: str, cand: _Candidate, gaz: Gazetteer, surnames: set[str],
           support: frozenset[str]) -> PlaceMention | None:
    """The mention a candidate makes, or None. `support`: the countries the
    article names on its own; a smaller GeoNames city needs its country there."""
    w = words()
    surface = text[cand.start:cand.end]
    if not cand.entries:  # demonym
        return PlaceMention(cand.start, cand.end, surface, country_name(cand.country), cand.country,
                            "demonym", None, None, countries=(cand.country,))
    nxt = _next_words(text, cand.end)
    capital = gaz.capital_of(cand.entries[0][1])
    # "Washington will grant": the capital stands for its government
    if capital and not cand.prep and not cand.preceded_by_name and _governs(text, cand, nxt):
        return PlaceMention(cand.start, cand.end, surface, country_name(capital), capital, "country",
                            None, None, metonym=True, countries=(capital,))
    introduction = _introduction(text, cand.end)
    chosen = next(((t, p) for t, p in cand.entries
                   if _acceptable(surface, t, p, cand, surnames, support, _introduced(introduction, p))), None)
    if chosen is None:
        return None
    tier, place = chosen
    # a city right before "said" / "has said" is a person ("Reno has said")
    if tier != TIER_CURATED and not cand.prep:
        verbs = [v for v in nxt if v not in w.government_auxiliaries and v not in w.government_adverbs]
        if verbs[:1] and verbs[0] in w.reporting:
            return None
    crossing = crossing_for(place.crossing_id) if place.crossing_id else None
    if crossing and (place.kind == "crossing" or w.crossing_words.match(text, cand.end)):
        return _crossing_mention(cand.start, cand.end, surface, crossing, inferred=False)
    countries = (place.country,) if place.country else ()
    return PlaceMention(cand.start, cand.end, surface, place.name, place.country, place.kind,
                        place.lat, place.lon, metonym=place.metonym, countries=countries)


def _introduction(text: str, end: int) -> bool | str:
    """What the text says right after naming a place ending at `end`: True for its kind
    ("Kuznica, a village on the border"), the folded name of a country ("Sejny, Poland"),
    else ''. A small town so introduced needs no preposition (see `_introduced`)."""
    w = words()
    if w.apposition.match(text, end):
        return True
    m = w.introduced.match(text[end:end + 60])
    return fold(m.group(1)) if m else ""


def _introduced(introduction: bool | str, place: Place) -> bool:
    """Whether `introduction` (`_introduction` after its name) says what `place` is."""
    if introduction is True or not introduction or not place.country:
        return introduction is True
    try:
        return introduction == fold(country_name(place.country))
    except InputError:
        return False


def _acceptable(surface: str, tier: int, place: Place, cand: _Candidate, surnames: set[str],
                support: frozenset[str], introduced: bool = False) -> bool:
    w = words()
    if tier == TIER_CURATED:
        if place.kind == "country" and surface in w.person_like_countries and cand.preceded_by_name:
            return False  # "Michael Jordan"
        return True
    # GeoNames cities: read as places only without signs of a person or a company
    if cand.preceded_by_name or cand.followed_by_name:  # "Fidel Castro", "Ales Bialiatski", "Warsaw Pact"
        return False
    if surface in w.stop or surface.title() in w.stop:
        return False
    if cand.single and fold(surface) in surnames:
        return False
    if surface in w.needs_preposition and not (cand.prep or introduced):
        return False
    supported = place.country in support
    if tier == TIER_ALTERNATE:
        return place.population >= MIN_POPULATION_ALTERNATE and (supported or cand.prep)
    if place.population >= MIN_POPULATION_BIG:
        return True
    if place.population >= MIN_POPULATION_IN_TEXT:
        return supported or cand.prep or introduced
    # a small town: the article must point to it twice, or say what it is right after it
    return (supported and cand.prep) or introduced


def _governs(text: str, cand: _Candidate, nxt: list[str]) -> bool:
    """Is the capital at `cand` the subject of a government action?"""
    w = words()
    m = _PREV_WORD_RE.search(text, max(0, cand.start - 24), cand.start)
    if m and text[m.end(1):cand.start].strip() == "" and m.group(1).lower() in w.not_a_subject:
        return False
    if text[cand.end:cand.end + 2] in ("’s", "'s"):
        after = _next_words(text, cand.end + 2, 2)
        return bool(after) and after[0] in w.government_nouns
    i = 0
    while i < len(nxt) and (nxt[i] in w.government_adverbs or nxt[i].endswith("ly")):
        i += 1
    if i >= len(nxt):
        return False
    rest = [v for v in nxt[i + 1:] if v not in w.government_adverbs]
    if nxt[i] in w.government_verbs:
        return True
    if nxt[i] in w.government_auxiliaries:
        return bool(rest) and rest[0] not in w.determiners and rest[0] not in w.city_predicates
    if nxt[i] in w.government_copulas:
        return bool(rest) and rest[0] not in w.city_predicates and (
            rest[0].endswith("ing") or rest[0].endswith("ed") or rest[0] in w.ready)
    return False


def _crossing_mention(start: int, end: int, surface: str, crossing: Crossing, *, inferred: bool) -> PlaceMention:
    return PlaceMention(start, end, surface, crossing.name, crossing.country_a, "crossing",
                        crossing.lat, crossing.lon, metonym=False, inferred=inferred,
                        countries=crossing.countries)


def border_place(sentence: str, countries: Iterable[str]) -> PlaceMention | None:
    """The inferred crossing for an unnamed border point in `sentence`, or None.

    `sentence`: one sentence ("... sitting in the no-man's zone at the border
    ..."). `countries`: ISO codes of the countries in play (those the sentence
    names, or its context). Offsets are into `sentence`; `inferred` is True.
    """
    w = words()
    crossing = default_crossing(countries)
    if crossing is None:
        return None
    for m in w.border.finditer(sentence):
        group = next(g for g in ("zone", "point", "crossing") if m.group(g))
        return _crossing_mention(m.start(group), m.end(group), m.group(group), crossing, inferred=True)
    return None


def _border_mentions(text: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
    w = words()
    matches = list(w.border.finditer(text))
    if not matches:
        return []
    bounds = [0] + [start for start, _ in sentences.split(text)][1:]
    by_sentence: dict[int, list[str]] = defaultdict(list)
    for m in mentions:
        if m.countries:
            by_sentence[bisect_right(bounds, m.start) - 1].extend(m.countries)
    overall = Counter(c for m in mentions for c in m.countries)
    taken = [(m.start, m.end) for m in mentions]
    out = []
    for m in matches:
        group = next(g for g in ("zone", "point", "crossing") if m.group(g))
        start, end = m.start(group), m.end(group)
        if any(s < end and start < e for s, e in taken):
            continue
        k = bisect_right(bounds, start) - 1
        here = by_sentence.get(k, [])
        crossing = (default_crossing(here)
                    or default_crossing(here + by_sentence.get(k - 1, []))
                    or (default_crossing(here + [overall.most_common(1)[0][0]]) if overall and here else None))
        if crossing is not None:
            out.append(_crossing_mention(start, end, m.group(group), crossing, inferred=True))
    return out
