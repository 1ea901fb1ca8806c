"""Merging articles' frames: each event reported by several articles becomes one row.

`merge` takes rows in order of publication; each joins the group of rows already formed
that it matches best (same timex, similar normalised titles, no conflicting actors or
amounts; across languages, the same category with the same amounts or names: see
`_across`), looking only at groups that share title words or an actor with it (blocking, so
that large corpora stay near-linear). The English words it relies on (stopwords, the words
of a scene-setting title, verbs) are data: `timeline/lang/en/merge.yaml`.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable

import pandas as pd

from timeline.errors import DataError, SchemaError
from timeline.frame.build import _ordered, empty_frame, list_column, validate
from timeline.frame.names import name_marks
from timeline.lang import DEFAULT, Resource, resource
from timeline.schema import NAMES

MERGED_IDS = "merged_ids"
"""Key of a merged frame's attrs: {event_id of a report merged away: event_id of its row}."""

TITLE_SIMILARITY = 0.7
"""Two titles at the same timex this similar (difflib ratio of normalised titles) are one event."""

SENTENCE_SIMILARITY = 0.9
"""Where a title is too thin to tell (see _thin), evidence sentences this similar are one event."""

ACROSS_EVIDENCE = 2
"""Rows in two languages at the same timex and of one category are one event when they
give the same amounts (counting 2) and share names (1 each, see `names.name_marks`) to
this much: "Беларусь освободила 52 заключённых" and "Belarus freed 52 prisoners"."""

PREFERRED_LANGUAGE = DEFAULT
"""The language of timeline's interface: of reports published at one time, and of equally
confident reports of one event, a row takes its evidence and its title from one in this
language (a fixed choice, so that an archive merged part by part agrees with one merge)."""

CORROBORATION = 0.75
"""Each further article reporting an event keeps this share of the remaining doubt:
confidence = 1 - (1 - best) * CORROBORATION ** (articles - 1); 0.70 -> 0.775 -> 0.83."""


_WORD = re.compile(r"\w+")


def _norm_title(s: str) -> str:
    """A title as merge compares it: casefolded, accents dropped, words joined by one space."""
    s = s.casefold()
    if not s.isascii():  # ASCII has no accents to drop (and is its own NFKD form)
        s = unicodedata.normalize("NFKD", s)
        s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(s))


def _word_lists(res: Resource) -> tuple[frozenset[str], re.Pattern, re.Pattern]:
    """(_STOPWORDS, _SCENE, _VERB) from a language's merge resource: its stopwords, the words
    that start a scene-setting title, and the verbs (words and whole-word patterns) that
    make such a title say something. Raises DataError naming the file and the entry for a
    word that is not written as a normalised title is (lower case, no accents or
    punctuation) or a pattern that does not compile."""
    def normalised(key: str) -> tuple[str, ...]:
        words = res.words(key)
        for word in words:
            if _norm_title(word) != word:
                raise DataError(f"{res.path}: {key}: {word!r} is not written as merge compares titles "
                                "(lower case, no accents or punctuation)")
        return words

    stopwords = frozenset(normalised("stopwords"))
    scene = "|".join(map(re.escape, normalised("scene")))
    verbs = [re.escape(w) for w in normalised("verbs")]
    verbs += [res.check_pattern(p, f"verb_patterns, entry {i + 1}") for i, p in enumerate(res.words("verb_patterns"))]
    return stopwords, re.compile(rf"(?:{scene})\b"), re.compile(rf"\b(?:{'|'.join(verbs)})\b")


_STOPWORDS, _SCENE, _VERB = _word_lists(resource("merge"))


_RATIOS_KEPT = 100_000
"""Title and sentence comparisons a merge remembers (wire copies repeat the same titles: a
20,000-article archive's largest partition compared the same pairs again and again)."""


def _match(a: "_Row", b: "_Row", matcher: difflib.SequenceMatcher, ratios: dict) -> float:
    """How strongly dated rows a and b (same timex, different articles) are one event; 0 = not.

    `matcher` has a's title as its second sequence (difflib caches that side); `ratios`
    remembers the outcome of each pair of texts compared. A title too thin to tell events
    apart (see _thin) leaves the decision to the evidence sentences.
    """
    if a.language != b.language and a.language and b.language:
        return _across(a, b)
    if _conflict(a, b):
        return 0.0
    if a.thin or b.thin:
        # only the same sentence, as wire copies repeat it, is surely the same event
        if not (a.said and b.said):
            return 0.0
        key = ("said", a.said, b.said)
        if key not in ratios:
            said = difflib.SequenceMatcher(None, a.said, b.said, autojunk=False)
            similar = said.real_quick_ratio() >= SENTENCE_SIMILARITY and said.quick_ratio() >= SENTENCE_SIMILARITY \
                and said.ratio() >= SENTENCE_SIMILARITY  # the cheap upper bounds first
            _remember(ratios, key, 1.0 if similar else 0.0)
        return ratios[key]
    if not (a.title and b.title):
        return 0.0
    key = (a.title, b.title)
    if key not in ratios:
        score = 0.0
        matcher.set_seq1(b.title)
        # Cheap upper bounds first: a merge bucket can hold hundreds of rows.
        if matcher.real_quick_ratio() >= TITLE_SIMILARITY and matcher.quick_ratio() >= TITLE_SIMILARITY:
            score = matcher.ratio()
        # Same day and similar words only: "same category and a shared actor" merged two
        # different statements of one person on one day, and lost each article's evidence.
        _remember(ratios, key, score if score >= TITLE_SIMILARITY else 0.0)
    return ratios[key]


def _across(a: "_Row", b: "_Row") -> float:
    """How strongly rows a and b, in different languages, are one event (0 = not): their
    titles cannot be compared word for word, so they must have one category, give the same
    amounts (neither giving one the other does not: "52" and "52, 14 of them foreigners"
    agree, "52" and "16" do not) or none, not both name people the other never names, and
    together reach ACROSS_EVIDENCE: same amounts count 2, each shared name 1. More evidence,
    a higher score (from 0.8 to 1)."""
    if a.category != b.category or not a.category:
        return 0.0
    x, y = a.amounts, b.amounts
    if x and y and not (x <= y or y <= x):
        return 0.0
    if a.actor_marks and b.actor_marks and not (a.actor_marks & b.marks or b.actor_marks & a.marks):
        return 0.0  # each names people the other does not name at all
    evidence = (2 if x and x == y else 0) + len(a.marks & b.marks)
    return 0.0 if evidence < ACROSS_EVIDENCE else min(1.0, 0.7 + 0.05 * evidence)


def _remember(ratios: dict, key: tuple, value: float) -> None:
    if len(ratios) >= _RATIOS_KEPT:
        ratios.clear()
    ratios[key] = value


def _thin(title: str) -> bool:
    """Whether a normalised title is too thin to tell two events apart: one with fewer than
    three content words, or one that only sets the scene ("For the quarter ended", "In the
    year-earlier period": a _SCENE word first and no _VERB), says too little to tell two
    companies' results apart."""
    return len(_title_words(title)) < 3 or bool(_SCENE.match(title) and not _VERB.search(title))


_AMOUNT = re.compile(r"\d[\d.,]*\d|\d")


def _conflict(a: "_Row", b: "_Row") -> bool:
    """Rows that cannot be one event however alike their titles: both name people or
    organisations and share none ("Citadel shares closed at ..." and "Ralston shares closed
    at ..."), or both give amounts and neither gives all of the other's ("earned $822.8
    million", "earned $480.4 million"; "rose to $3 million from $2.9 million", "rose 2.9% to
    $329.2 million"), where "52 freed" and "52 freed, 14 of them foreigners" agree."""
    if a.actors and b.actors and not a.actors & b.actors:
        return True
    x, y = a.amounts, b.amounts
    return bool(x and y and not (x <= y or y <= x))


# Blocking, so that merging stays near-linear on large corpora: a row is compared only with
# groups at the same timex that share two content words of the title with it (one for a
# title of one or two words) or the category and an actor; a word or actor shared by more
# than _MAX_POSTING groups there is too common to say anything; at most _MAX_CANDIDATES
# groups (most shared words first) and the first _MAX_COMPARED members of each are compared.
_MAX_POSTING = 200
_MAX_CANDIDATES = 10
_MAX_COMPARED = 3


def _title_words(title: str) -> set[str]:
    return {w for w in title.split() if len(w) > 2 and w not in _STOPWORDS}


class _Grouping:
    """Rows, taken in order of publication, gathered into groups that are one event each."""

    def __init__(self, across: bool = False) -> None:
        self.across = across  # rows in several languages: names and amounts are keys too
        self.members: list[list[_Row]] = []
        self.articles: list[set[str]] = []
        self.by_id: dict[str, int] = {}
        self.index: dict[tuple, list[int]] = {}
        self.ratios: dict[tuple, float] = {}  # texts compared: their outcome (see _match)

    def add(self, r: "_Row") -> None:
        g = self.by_id.get(r.event_id)  # the same text parsed twice
        if g is None:
            g = self._best(r)
        if g is None:
            g = len(self.members)
            self.members.append([])
            self.articles.append(set())
        self.members[g].append(r)
        self.articles[g].add(r.article)
        self.by_id[r.event_id] = g
        for key in self._keys(r, self.across):
            posting = self.index.setdefault(key, [])
            if not posting or posting[-1] != g:
                posting.append(g)

    @staticmethod
    def _keys(r: "_Row", across: bool = False) -> list[tuple]:
        timex = r.timex
        if not timex:  # undated: only the very same statement
            return [("same", r.title, r.category)] if r.title else []
        keys = [("word", timex, w) for w in _title_words(r.title)]
        if r.category:
            keys += [("actor", timex, r.category, a) for a in r.actors]
            if across:  # what rows in another language can share with it (see _across)
                keys += [("actor", timex, r.category, "\x00" + m) for m in r.marks]
                if r.amounts:
                    keys.append(("actor", timex, r.category, "\x00", tuple(sorted(r.amounts))))
        return keys

    def _best(self, r: "_Row") -> int | None:
        words: dict[int, int] = {}  # group -> shared title words (or the undated key)
        actors: set[int] = set()  # groups sharing category and an actor
        for key in self._keys(r, self.across):
            posting = self.index.get(key, ())
            if len(posting) > _MAX_POSTING:
                continue
            if key[0] == "actor":
                actors.update(posting)
            else:
                for g in posting:
                    words[g] = words.get(g, 0) + 1
        if not r.timex:
            return next((g for g in words if r.article not in self.articles[g]), None)
        # A title similar enough shares two content words unless it is very short.
        need = 2 if len(_title_words(r.title)) >= 3 else 1
        candidates = sorted({g for g, n in words.items() if n >= need} | actors,
                            key=lambda g: (-words.get(g, 0), g))[:_MAX_CANDIDATES]
        best, best_score, matcher = None, 0.0, None
        for g in candidates:
            if r.article in self.articles[g]:
                continue  # one article's rows are the extractor's business
            if matcher is None:
                matcher = difflib.SequenceMatcher(None, autojunk=False)
                matcher.set_seq2(r.title)
            score = max(_match(r, m, matcher, self.ratios) for m in self.members[g][:_MAX_COMPARED])
            if score > best_score:
                best, best_score = g, score
        return best


def _actor_keys(actors: list[str]) -> set[str]:
    """Casefolded names plus the surname of each multi-word name: articles write
    "Alexander Lukashenko" and "Lukashenko" for one man."""
    keys = set()
    for a in actors:
        words = _norm_title(a).split()
        if words:
            keys.add(" ".join(words))
            if len(words) > 1 and len(words[-1]) > 2:
                keys.add(words[-1])
    return keys


def _union(lists: Iterable[list[str]], key: Callable[[str], str] = str) -> list[str]:
    seen, out = set(), []
    for items in lists:
        for item in items:
            k = key(item)
            if k not in seen:
                seen.add(k)
                out.append(item)
    return out


def _labels(sources: list[str], source: str, url: str, article_id: str) -> list[str]:
    """A report's source labels: its `sources`, else [source or url or article_id]."""
    if sources:
        return sources
    first = source or url or article_id
    return [first] if first else []


# Columns that describe what happened (taken from the most confident report) versus where it
# was read (taken with event_id from the earliest report, so that the evidence offsets
# still point into the text of `article_id`).
_PROVENANCE = ("event_id", "article_id", "source", "published", "url", "language", "sentence",
               "start_char", "end_char", "date_text")


def _combined(frame: pd.DataFrame, groups: list[list["_Row"]]) -> tuple[pd.DataFrame, dict[str, str]]:
    """(the merged frame of `groups` of `frame`'s rows, in group order; {event_id of each
    report merged into another row: that row's event_id}).

    A group's row is its most confident report (of equally confident ones, the first in
    PREFERRED_LANGUAGE) with the provenance (_PROVENANCE) of its first report; `actors`,
    `places` and `countries` are the union of its reports' (the most confident first),
    `sources` that of their labels (see _labels), and `confidence` rises with each further
    article (CORROBORATION). Built column by column from `frame`'s (validated) columns: a
    dict per row, turned back into a frame, cost most of a merge."""
    confidence, language = frame["confidence"].tolist(), frame["language"].tolist()

    def rank(m: "_Row") -> tuple[float, bool]:
        c = confidence[m.i]
        return (-1.0 if pd.isna(c) else c), language[m.i] == PREFERRED_LANGUAGE

    best = [g[0].i if len(g) == 1 else max(g, key=rank).i for g in groups]
    first = [g[0].i for g in groups]
    out = frame.iloc[best].reset_index(drop=True)
    told = frame.iloc[first].reset_index(drop=True)
    for name in _PROVENANCE:
        out[name] = told[name]
    for name, key in (("actors", str.casefold), ("places", str.casefold), ("countries", str.upper)):
        cells = frame[name].tolist()
        out[name] = list_column([_union([cells[b]] + [cells[m.i] for m in g if m.i != b], key)
                                 for g, b in zip(groups, best)])
    labels = list(zip(*(frame[n].tolist() for n in ("sources", "source", "url", "article_id"))))
    out["sources"] = list_column([_union(_labels(*labels[m.i]) for m in g) for g in groups])
    articles = frame["article_id"].tolist()
    raised = []
    for g, b in zip(groups, best):
        c = confidence[b]
        n = len(g) if len(g) == 1 else len({articles[m.i] or m.event_id for m in g})
        raised.append(round(1 - (1 - c) * CORROBORATION ** (n - 1), 4) if n > 1 and not pd.isna(c) else c)
    out["confidence"] = pd.Series(raised, dtype="float64")
    ids = {m.event_id: g[0].event_id for g in groups if len(g) > 1 for m in g if m.event_id != g[0].event_id}
    return out, ids


def merge(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """One frame from several articles' frames, each event reported more than once in one row.

    Two rows are the same event when they come from different articles (rows of one article
    are never merged: telling them apart is the event extractor's job), have the same
    non-empty `timex`, and their normalised titles (casefolded, accents and punctuation
    dropped) have a difflib ratio >= TITLE_SIMILARITY (0.7), unless both name actors and
    share none, or both titles give amounts and neither gives all of the other's (see
    _conflict). Where a title is too thin to tell (a scene-setting phrase such as "For the
    quarter ended", or under three content words) the evidence sentences must have a ratio
    >= SENTENCE_SIMILARITY (0.9) instead. Rows in two languages (their `language`) cannot
    be compared word for word: at the same timex and of one category they merge on the same
    amounts and names written in any script (see _across). Undated rows merge only with
    the same normalised title and category. Rows with the same `event_id` (the same text
    parsed twice) always merge. Rows are taken in order of publication (articles without a
    date last; at one time PREFERRED_LANGUAGE first) and each joins the best-matching group
    already formed; only groups sharing title words, an actor (or, across languages, a name
    or the amounts) are compared (see _MAX_POSTING), so large corpora stay fast.

    The merged row takes what happened (date, title, category, places, lat/lon, ...) from
    its most confident report (of equally confident ones, PREFERRED_LANGUAGE's first);
    `event_id` and the evidence (article_id, source, published,
    url, sentence, offsets, date_text) from its earliest-published report; `actors`,
    `places` and `countries` are the union (most confident first); `sources` is the union
    of every report's source labels in order of publication (a row without `sources` counts
    as [source or url or article_id]); `confidence` is raised as CORROBORATION says.
    Output is ordered by date (undated last), then event_id; its `attrs[MERGED_IDS]` maps the
    event_id of each report merged into another row to that row's event_id, so that a
    correction keyed on it still finds its event (see apply_overrides). Raises SchemaError
    for a frame that does not validate.
    """
    parts = _checked(frames)
    if not parts:
        return empty_frame()
    # One validation of the whole, not one per article: it costs milliseconds per call.
    frame = validate(pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0])
    across = frame["language"].replace("", None).nunique() > 1  # rows in several languages
    groups = _Grouping(across)
    for r in _prepared(frame, across):
        groups.add(r)
    merged, ids = _combined(frame, groups.members)
    out = _ordered(merged)
    out.attrs[MERGED_IDS] = _merged_ids(ids, parts)
    return out


def merge_keys(frame: pd.DataFrame) -> list[str]:
    """Per row of a validated `frame`, what a row must share with it to be merged into one
    event (see `merge`): its timex, or for an undated row its normalised title and category.
    Rows with different keys are never merged, so a frame split by key merges part by part
    (an archive's store does, `timeline.archive.store.partitions_of`)."""
    return [timex if timex else f"\x00{_norm_title(title)}\x00{category}"
            for timex, title, category in zip(frame["timex"].tolist(), frame["title"].tolist(),
                                              frame["category"].tolist())]


def _checked(frames: Iterable[pd.DataFrame]) -> list[pd.DataFrame]:
    """The frames that have rows; SchemaError naming the frame for one that does not validate."""
    parts = list(frames)
    for i, f in enumerate(parts):  # concat would fill a missing column with NaN: check first
        if not isinstance(f, pd.DataFrame) or set(map(str, f.columns)) != set(NAMES):
            try:
                validate(f)
            except SchemaError as e:
                raise SchemaError(f"frame {i}: {e}") from None
    return [f for f in parts if len(f)]


class _Row:
    """What matching compares of one row of the frame (its position `i`): the normalised
    title, actor keys, amounts, whether the title is thin (then `said`, the normalised
    sentence, decides), its article. Slots, not the row's dict: a merge of 5,270 rows at
    one timex held 14.7 MB of row dicts."""

    __slots__ = ("i", "event_id", "timex", "category", "article", "title", "actors", "amounts", "thin", "said",
                 "language", "marks", "actor_marks")

    def __init__(self, i: int, event_id: str, timex: str, category: str, article: str, title: str,
                 actors: frozenset, amounts: frozenset, thin: bool, said: str, language: str = "",
                 marks: frozenset = frozenset(), actor_marks: frozenset = frozenset()) -> None:
        self.i, self.event_id, self.timex, self.category, self.article = i, event_id, timex, category, article
        self.title, self.actors, self.amounts, self.thin, self.said = title, actors, amounts, thin, said
        # across languages (see _across): the language, the marks of the names in the title
        # and actors, and those of the actors alone
        self.language, self.marks, self.actor_marks = language, marks, actor_marks


_NONE: frozenset = frozenset()


def _prepared(frame: pd.DataFrame, across: bool = False) -> list[_Row]:
    """A validated frame's rows as `_Row`s, in order of publication (undated articles last;
    of articles published at one time those in PREFERRED_LANGUAGE first). With `across`
    (rows in several languages) each has the marks of its names (see _across)."""
    def col(name: str) -> list:
        return frame[name].tolist()

    rows, order = [], []
    far = pd.Timestamp.max
    for i, (event_id, timex, category, article_id, title, actors, date_text, sentence, published, start,
            language) in enumerate(zip(*map(col, ("event_id", "timex", "category", "article_id", "title", "actors",
                                                  "date_text", "sentence", "published", "start_char", "language")))):
        norm = _norm_title(title)
        thin = _thin(norm)
        bare = title.replace(date_text or "\x00", " ")
        marks = (name_marks(bare, actors), name_marks("", actors)) if across and timex else (_NONE, _NONE)
        rows.append(_Row(i, event_id, timex, category, article_id or event_id,  # unknown article: its own
                         norm, frozenset(_actor_keys(actors)) or _NONE,
                         frozenset(_AMOUNT.findall(bare)) or _NONE, thin,
                         _norm_title(sentence.replace(date_text or "\x00", " ")) if thin else "",
                         language or "", *marks))
        order.append((far if pd.isna(published) else published, language != PREFERRED_LANGUAGE,
                      article_id, -1 if pd.isna(start) else start, event_id))
    return [rows[i] for i in sorted(range(len(rows)), key=order.__getitem__)]


def _merged_ids(ids: dict[str, str], parts: list[pd.DataFrame]) -> dict[str, str]:
    """The reports merged into another row (`ids`: {event_id: its row's event_id}) with
    those the input frames had merged already (their `attrs[MERGED_IDS]`), which follow
    their row."""
    for f in parts:
        for old, mid in (f.attrs.get(MERGED_IDS) or {}).items():
            if ids.get(mid, mid) != old:
                ids[old] = ids.get(mid, mid)
    return ids
