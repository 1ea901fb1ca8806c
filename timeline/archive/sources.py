"""Archives as pieces of work: each input cut into chunks a worker reads on its own.

An archive is never read into memory whole. The driver only lists and cuts:

- a JSON Lines file (`.jsonl`, one article object a line: text, title, published, url,
  source) into byte ranges of about CHUNK_BYTES; a line belongs to the range its first
  byte is in, so ranges cut anywhere and every line is read once;
- a Parquet file (columns text, title, published, url, source) into its row groups;
- a WARC file of fetched pages (`.warc`, `.warc.gz`; warcio) into runs of whole records of
  about WARC_CHUNK_BYTES (the driver reads the file once to find where records start): each
  HTML response is an article, its text found by trafilatura as for an .html file;
- article files (.txt, .md, .html, .json, as `timeline parse` reads them; folders give the
  files directly inside, globs are expanded) into groups of FILES_PER_CHUNK.

A worker reads its chunk (`read_chunk`): each article with its locator (the file, and the
line's byte offset or the row's number) and its content hash, or the one line saying why
that part of the archive could not be read.
"""
from __future__ import annotations

import glob
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from timeline.errors import InputError
from timeline.read import Article, article_files, input_problem, read_path
from timeline.read.files import MAX_BYTES

CHUNK_BYTES = 1_000_000
"""About how much of a JSON Lines file one task reads (a few hundred news articles)."""

FILES_PER_CHUNK = 64
"""Article files one task reads."""

WARC_CHUNK_BYTES = 16_000_000
"""About how much of a WARC file one task reads (whole records: a few hundred pages
compressed), so that one large crawl is parsed by every worker."""

JSONL = (".jsonl", ".ndjson")
PARQUET = (".parquet",)
WARC = (".warc", ".warc.gz")
FIELDS = ("text", "title", "published", "source", "url", "language")


@dataclass(frozen=True)
class Chunk:
    """One task's part of an archive: `kind` 'jsonl' (bytes `start` to `stop` of `path`),
    'parquet' (row group `start` of `path`), 'warc' (the records of the WARC file `path`
    that start from byte `start` to before `stop`) or 'files' (the article files `paths`)."""

    kind: str
    path: str = ""
    start: int = 0
    stop: int = 0
    paths: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """A name for the chunk that stays the same from run to run."""
        what = "\n".join(self.paths) if self.kind == "files" else f"{self.path}:{self.start}:{self.stop}"
        return hashlib.sha1(f"{self.kind}\n{what}".encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True)
class Item:
    """One article of a chunk (`article`, its `digest`) or the `error` of that part."""

    locator: str
    article: Article | None = None
    digest: str = ""
    error: str = ""


def plan(inputs: Iterable[str | os.PathLike], problems: list[str], *, chunk_bytes: int | None = None,
         files_per_chunk: int | None = None) -> list[Chunk]:
    """The chunks of `inputs` (JSON Lines and Parquet files, article files, folders, globs):
    JSON Lines in ranges of `chunk_bytes` (default CHUNK_BYTES), files in groups of
    `files_per_chunk` (default FILES_PER_CHUNK); an input that does not exist or cannot be
    listed is a line in `problems`."""
    chunk_bytes = max(1, chunk_bytes or CHUNK_BYTES)
    per_chunk = max(1, files_per_chunk or FILES_PER_CHUNK)
    chunks: list[Chunk] = []
    files: list[str] = []
    for given in map(os.fspath, inputs):
        paths = sorted(glob.glob(given)) if glob.has_magic(given) else [given]
        if not paths:
            problems.append(f"{given}: no file matches")
        for p in paths:
            suffix = Path(p).suffix.lower()
            if p.lower().endswith(WARC):
                chunks += _warc_chunks(p, problems, WARC_CHUNK_BYTES)
            elif suffix in JSONL:
                chunks += _jsonl_chunks(p, problems, chunk_bytes)
            elif suffix in PARQUET:
                chunks += _parquet_chunks(p, problems)
            elif not os.path.exists(p):
                problems.append(f"{p}: no such file or folder")
            else:
                files += map(str, article_files([p], problems))
    chunks += [Chunk("files", paths=tuple(files[i:i + per_chunk])) for i in range(0, len(files), per_chunk)]
    return chunks


def _jsonl_chunks(path: str, problems: list[str], chunk_bytes: int) -> list[Chunk]:
    try:
        size = os.stat(path).st_size
    except OSError as e:
        problems.append(input_problem(path, e))
        return []
    return [Chunk("jsonl", path, start, min(start + chunk_bytes, size)) for start in range(0, size, chunk_bytes)]


def _warc_chunks(path: str, problems: list[str], chunk_bytes: int) -> list[Chunk]:
    """Runs of the WARC file's records of about `chunk_bytes`, each starting where a record
    does (found by reading the file once, its pages passed over: 0.55 s for a 22 MB
    .warc.gz of 6,000 pages here). A damaged file is cut as far as it can be read; the rest is the last
    chunk, whose reader names the damage."""
    from warcio.archiveiterator import ArchiveIterator

    try:
        size = os.stat(path).st_size
    except OSError as e:
        problems.append(input_problem(path, e))
        return []
    starts = [0]
    try:
        with open(path, "rb") as f:
            records = ArchiveIterator(f)
            for _ in records:
                at = records.get_record_offset()
                if at - starts[-1] >= chunk_bytes:
                    starts.append(at)
    except Exception:  # noqa: BLE001 -- not WARC, cut short: the chunk that holds it says so when read
        pass
    bounds = starts + [max(size, starts[-1] + 1)]
    return [Chunk("warc", path, a, b) for a, b in zip(bounds, bounds[1:])]


def _parquet_chunks(path: str, problems: list[str]) -> list[Chunk]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        groups = pq.ParquetFile(path).metadata.num_row_groups
    except (OSError, pa.ArrowException) as e:
        problems.append(f"{path}: not a readable Parquet file ({' '.join(str(e).split())[:200]})")
        return []
    return [Chunk("parquet", path, g, g + 1) for g in range(groups)]


def read_chunk(chunk: Chunk) -> Iterator[Item]:
    """The articles of `chunk`, each with its locator and digest; an unreadable line, row,
    file or part as an Item with its `error`."""
    reader = {"jsonl": _jsonl_items, "parquet": _parquet_items, "warc": _warc_items, "files": _file_items}[chunk.kind]
    try:
        yield from reader(chunk)
    except (OSError, InputError) as e:
        yield Item(chunk.path or chunk.key, error=input_problem(chunk.path or "archive", e))


def digest(article: Article) -> str:
    """The content hash of an article: what its events are made from (its text, title,
    publication date, source, url, and the file name a missing source falls back to)."""
    fields = [article.text, article.title, str(article.published or ""), article.source, article.url,
              Path(article.path).name if article.path else ""]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()


def _item(locator: str, article: Article) -> Item:
    return Item(locator, article, digest(article))


def _mapping_item(path: str, locator: str, data) -> Item:
    from timeline import bounded
    from timeline.read.formats import article_from_mapping

    try:
        item = bounded.load_json(data, locator) if isinstance(data, (bytes, str)) else data
    except json.JSONDecodeError as e:
        return Item(locator, error=f"{locator}: not valid JSON ({e.msg} at column {e.colno})")
    except (InputError, ValueError, RecursionError) as e:  # out of bounds, or bytes that are no text
        return Item(locator, error=input_problem(locator, e) if isinstance(e, InputError)
                    else f"{locator}: not valid JSON ({type(e).__name__})")
    try:
        if isinstance(item, dict):
            item = {k: (None if v != v else v) for k, v in item.items() if k in FIELDS}  # NaN: a missing value
        return _item(locator, article_from_mapping(item, name=path, label=locator))
    except (InputError, ValueError, RecursionError) as e:
        return Item(locator, error=input_problem(locator, e))


def _jsonl_items(chunk: Chunk) -> Iterator[Item]:
    with open(chunk.path, "rb") as f:
        at = chunk.start
        if at > 0:  # the line under way at `start` belongs to the chunk before
            f.seek(at - 1)
            if f.read(1) != b"\n":
                at += _skip_line(f)
        f.seek(at)
        while at < chunk.stop:
            line = f.readline(MAX_BYTES + 1)
            if not line:
                break
            locator = f"{chunk.path}@{at}"
            at += len(line)
            if len(line) > MAX_BYTES and not line.endswith(b"\n"):
                at += _skip_line(f)
                yield Item(locator, error=f"{locator}: the line is over the {MAX_BYTES:,}-byte limit")
            elif line.strip():
                yield _mapping_item(chunk.path, locator, line)


def _skip_line(f) -> int:
    """Read past the rest of the line `f` is in, a megabyte at a time; the bytes skipped."""
    skipped = 0
    while True:
        piece = f.readline(1_000_000)
        skipped += len(piece)
        if not piece or piece.endswith(b"\n"):
            return skipped


def _parquet_items(chunk: Chunk) -> Iterator[Item]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(chunk.path).read_row_group(chunk.start)
    except (OSError, pa.ArrowException) as e:
        yield Item(f"{chunk.path}#group{chunk.start}",
                   error=f"{chunk.path}: row group {chunk.start} is not readable ({' '.join(str(e).split())[:200]})")
        return
    columns = {n: table.column(n).to_pylist() for n in FIELDS if n in table.column_names}
    for i in range(table.num_rows):
        row = {n: values[i] for n, values in columns.items()}
        if hasattr(row.get("published"), "isoformat"):  # a date or timestamp column
            row["published"] = row["published"].isoformat()[:10]
        yield _mapping_item(chunk.path, f"{chunk.path}#group{chunk.start}/row{i}", row)


def _warc_items(chunk: Chunk) -> Iterator[Item]:
    """Each HTTP response of the WARC file: an HTML page as an article (its url the record's
    target URI), anything else as one line saying what it is; other records (requests,
    metadata) are not articles and are passed over."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    with open(chunk.path, "rb") as f:
        f.seek(chunk.start)
        records = ArchiveIterator(f)
        try:
            for record in records:
                # The page first: asking where the record starts reads it to its end.
                item = _warc_item(chunk.path, record) if record.rec_type == "response" else None
                offset = records.get_record_offset()
                if offset >= chunk.stop:  # the next chunk's first record
                    return
                if item is not None:
                    yield item(f"{chunk.path}@{offset}")
        except ArchiveLoadFailed as e:
            yield Item(chunk.path, error=f"{chunk.path}: not a readable WARC file ({' '.join(str(e).split())[:200]})")
            return
        last = f.seek(0, os.SEEK_END) <= chunk.stop
    # warcio ends quietly where a compressed file is cut short: say so (the pages before are
    # kept), once, in the file's last chunk.
    if last and chunk.path.lower().endswith(".gz") and not _gzip_whole(chunk.path):
        yield Item(chunk.path, error=f"{chunk.path}: the file is cut short or damaged (an incomplete gzip member)")


def _gzip_whole(path: str) -> bool:
    """Whether the gzip file at `path` is whole: every member complete, nothing else after
    them. Read once more, a megabyte at a time (its output dropped as it comes): quick
    beside parsing what it holds."""
    import zlib

    member, fed = zlib.decompressobj(zlib.MAX_WBITS | 16), False
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                data = block
                while data:
                    member.decompress(data, 1 << 20)
                    fed = True
                    if member.eof:
                        data = member.unused_data
                        member, fed = zlib.decompressobj(zlib.MAX_WBITS | 16), False
                    else:
                        data = member.unconsumed_tail
    except (OSError, zlib.error):
        return False
    return not fed or member.eof


def _warc_item(path: str, record):
    """A function of the record's locator giving its Item (the locator is known only once
    the record has been read)."""
    import dataclasses
    import urllib.parse

    from timeline.read.decode import decode
    from timeline.read.formats import read_format

    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    kind = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
    length = int(record.rec_headers.get_header("Content-Length") or 0)
    if "html" not in kind.lower():
        return lambda at: Item(at, error=f"{at}: {uri or 'the record'} is not HTML ({kind or 'no type'})")
    if length > MAX_BYTES:
        return lambda at: Item(at, error=f"{at}: {uri} is {length:,} bytes, over the {MAX_BYTES:,}-byte limit")
    data = record.content_stream().read(MAX_BYTES + 1)

    def item(at: str) -> Item:
        try:
            [article] = read_format("html", at, decode(at, data), None)
        except (InputError, ValueError) as e:
            return Item(at, error=input_problem(at, e))
        host = urllib.parse.urlsplit(uri).hostname or ""
        source = article.source if article.source != Path(at).name else host
        return _item(at, dataclasses.replace(article, url=article.url or uri, source=source))
    return item


def _file_items(chunk: Chunk) -> Iterator[Item]:
    for path in chunk.paths:
        problems: list[str] = []
        try:
            articles = read_path(path, problems=problems)
        except Exception as e:  # noqa: BLE001 -- one file's failure is its line, never the chunk's
            yield Item(path, error=input_problem(path, e))
            continue
        for line in problems:
            yield Item(path, error=line)
        for i, article in enumerate(articles):
            yield _item(path if len(articles) == 1 else f"{path}#{i + 1}", article)
