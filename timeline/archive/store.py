"""An archive's store: a folder of Parquet files any Dask worker, or DuckDB, can read.

    STORE/manifest.parquet                          one row per article (or unreadable part)
                                                    of the archive as last ingested
    STORE/parsed/part=YYYY-B/<chunk>-<run>.parquet  each article's own events (the frame's
                                                    columns and `article_digest`), by partition
    STORE/events/year=YYYY/part-B.parquet           the merged events of partition YYYY-B: the
                                                    frame, in row groups of EVENT_ROW_GROUP rows
    STORE/events/year=undated/part-B.parquet        events without a calendar date
    STORE/LAYOUT                                    the layout's version (LAYOUT)

Rows can only merge when they share a timex, or when undated a title and category
(`frame.merge_keys`), so a partition is a year and one of BUCKETS buckets of that key: each
is merged on its own, in parallel, and the store's events are the frame `timeline parse`
makes of the same articles, row for row (`read_events`). Every file is written beside its
name and renamed into place: a run stopped at any moment leaves each file whole.
"""
from __future__ import annotations

import os
import zlib
from pathlib import Path

import pandas as pd

from timeline import frame as fr
from timeline.atomic import atomic_write, write_bytes

UNDATED = "undated"
MANIFEST = "manifest.parquet"
EVENT_ROW_GROUP = 16_384
"""Rows of one row group of an events file: a server reads the groups holding the events
it shows (`serving.StoreIndex.read`), not the year's whole file."""
MANIFEST_COLUMNS = ("digest", "locator", "status", "error", "events", "partitions", "parsed")
"""A manifest row: the article's content hash (empty for an unreadable part), where it is
(file, and line offset or row), status (parsed, unchanged, duplicate, error), the one-line
error, its events before merging, the partitions they fall in, the parsed files holding them."""

BUCKETS = 4
"""Buckets a year's events are merged in: the largest years, which hold most events, are
merged by several workers at once, and no worker holds a whole year."""

LAYOUT = "3"
"""The store's layout: a store of another layout is rebuilt by the next run (`check_layout`).
2: years in buckets; 3: the frame's `language` column."""


def lean_memory() -> None:
    """Take Arrow's buffers from the system allocator in this process (a Dask worker's, a
    server's of a store): pyarrow's default, mimalloc, kept the pages it freed, measured at
    25 to 35 MB a worker more while reading and merging a partition's files (peak RSS 185 ->
    150 MB warm), and 54 MB more after indexing a 1,000,000-event store."""
    import pyarrow as pa

    if pa.default_memory_pool().backend_name != "system":
        pa.set_memory_pool(pa.system_memory_pool())


def give_back_memory() -> None:
    """Return the heap pages this process has freed to the system (glibc's malloc_trim),
    where the C library has it: building a store's index frees far more than it keeps
    (1,000,000 events: 161 MB resident above the app before, 75 MB after)."""
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl, macOS): its pages stay until reused
        pass


def years_of(frame: pd.DataFrame) -> pd.Series:
    """Each row's year: the year of its date ('2025'), or 'undated'."""
    years = frame["date"].dt.year
    return years.map(lambda y: UNDATED if pd.isna(y) else str(int(y))).astype(str)


def partitions_of(frame: pd.DataFrame) -> pd.Series:
    """Each row's merge partition: 'YYYY-B' (or 'undated-B'), its year and a bucket of its
    merge key (`frame.merge_keys`), so that rows that may merge share a partition."""
    buckets = [str(zlib.crc32(k.encode("utf-8", "surrogatepass")) % BUCKETS) for k in fr.merge_keys(frame)]
    return years_of(frame) + "-" + pd.Series(buckets, index=frame.index, dtype=str)


def split_partition(partition: str) -> tuple[str, str]:
    """(year, bucket) of a partition 'YYYY-B' (a year may be negative: '-44-1')."""
    year, bucket = partition.rsplit("-", 1)
    return year, bucket


def check_layout(store: Path) -> bool:
    """Make `store` a store of this LAYOUT: one of another layout (written by an earlier
    version of timeline) has its parsed and merged events and its manifest removed, so that
    the next run rebuilds it. True when it was."""
    import shutil

    marker = Path(store) / "LAYOUT"
    try:
        if marker.read_text(encoding="ascii").strip() == LAYOUT:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    old = any((Path(store) / name).exists() for name in (MANIFEST, "parsed", "events", "chunks"))
    for name in ("parsed", "events", "chunks"):
        shutil.rmtree(Path(store) / name, ignore_errors=True)
    for name in (MANIFEST, "unmerged.json"):
        (Path(store) / name).unlink(missing_ok=True)
    write_bytes(marker, LAYOUT + "\n")
    return old


def replace(path: Path, write) -> None:
    """`write(tmp)` then rename onto `path` (`timeline.atomic.atomic_write`), its folder made
    first: readers see the old file or the new, whole. Raises ExportError naming `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, write)


def write_parsed(store: Path, name: str, frame: pd.DataFrame, digests: list[str],
                 partitions: pd.Series) -> dict[str, str]:
    """Write `frame` (the events of some articles; `digests` their articles' hashes, one a
    row) as parsed files named `name`, one per partition (`partitions`: each row's, as
    `partitions_of` gives them); {partition: file name}."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not len(frame):
        return {}
    table = fr.arrow_table(frame, article_digest=digests)  # validated once, cut by partition below
    partitions = partitions.to_numpy()
    written = {}
    for partition in sorted(set(partitions)):
        part = table.filter(pa.array(partitions == partition))
        file = f"{name}.parquet"
        replace(store / "parsed" / f"part={partition}" / file, lambda tmp: pq.write_table(part, tmp))
        written[partition] = file
    return written


def read_parsed(store: Path, partition: str, files: set[str], live: set[str]):
    """The parsed events of `partition` in `files`, of the articles whose digest is in `live`,
    as one pyarrow Table (`frame.arrow_table`'s columns and `article_digest`), or None."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = []
    for file in sorted(files):
        table = pq.read_table(parsed_path(store, partition, file))
        keep = [d in live for d in table.column("article_digest").to_pylist()]
        tables.append(table.filter(keep))
    return pa.concat_tables(tables) if tables else None


def merge_batches(table, size: int):
    """Slices of `table` (parsed events) that merge on their own: sorted by date and merge
    key (`frame.merge_keys`: rows with different keys never merge), cut every `size` rows or
    so, never inside a key (a key with more rows than `size` is one larger slice)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    keys = fr.merge_keys(table.select(["timex", "title", "category"]).to_pandas())
    order = pc.sort_indices(table.select(["date"]).append_column("key", pa.array(keys, pa.string())),
                            sort_keys=[("date", "ascending", "at_end"), ("key", "ascending", "at_end")])
    table = table.take(order)
    keys = [keys[i] for i in order.to_pylist()]
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or (i - start >= size and keys[i] != keys[i - 1]):
            yield table.slice(start, i - start)
            start = i


def parsed_path(store: Path, partition: str, file: str) -> Path:
    return Path(store) / "parsed" / f"part={partition}" / file


MERGED_KEY = b"timeline.merged_ids"
"""The file metadata that keeps a partition's `frame.MERGED_IDS` (reports merged into another row)."""


def write_events(store: Path, partition: str, frame: pd.DataFrame) -> None:
    """The merged events of `partition` (none: its file is removed), with the event ids of
    the reports merged into other rows, so that corrections keyed on them still apply."""
    write_events_table(store, partition, fr.arrow_table(frame) if len(frame) else None,
                       frame.attrs.get(fr.MERGED_IDS) or {})


def write_events_table(store: Path, partition: str, table, merged_ids: dict[str, str]) -> None:
    """`write_events` of a pyarrow Table (`frame.arrow_table`'s, in the frame's order) or None."""
    import json

    import pyarrow.parquet as pq

    year, bucket = split_partition(partition)
    path = store / "events" / f"year={year}" / f"part-{bucket}.parquet"
    if table is None or not table.num_rows:
        path.unlink(missing_ok=True)
        return
    merged = json.dumps(merged_ids, sort_keys=True).encode()
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), MERGED_KEY: merged})
    replace(path, lambda tmp: pq.write_table(table, tmp, row_group_size=EVENT_ROW_GROUP))


def event_files(store: str | os.PathLike) -> list[Path]:
    """The store's events files, by year ('undated' last), then name."""
    root = Path(store) / "events"
    if not root.is_dir():
        return []
    found = [p for p in root.glob("year=*/*.parquet") if p.is_file()]
    return sorted(found, key=lambda p: (p.parent.name == f"year={UNDATED}", p.parent.name, p.name))


def read_events(store: str | os.PathLike, years=None) -> pd.DataFrame:
    """The store's events (of `years` only, when given) as one frame, in the frame's order
    (by date, undated last, then event_id), with `attrs[frame.MERGED_IDS]` as `frame.merge`
    gives it."""
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    from timeline.frame.build import _ordered

    wanted = None if years is None else {f"year={y}" for y in years}
    tables = [pq.read_table(p) for p in event_files(store) if wanted is None or p.parent.name in wanted]
    if not tables:
        return fr.empty_frame()
    merged: dict[str, str] = {}
    for table in tables:
        merged.update(json.loads((table.schema.metadata or {}).get(MERGED_KEY, b"{}")))
    frame = _ordered(fr.from_arrow(pa.concat_tables([t.replace_schema_metadata(None) for t in tables])))
    frame = frame.reset_index(drop=True)
    frame.attrs[fr.MERGED_IDS] = merged
    return frame


def unmerged(store: Path) -> set[str]:
    """The partitions a run could not merge (its merge failed), which the next run merges."""
    import json

    try:
        return set(json.loads((Path(store) / "unmerged.json").read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return set()


def set_unmerged(store: Path, partitions: list[str]) -> None:
    import json

    path = Path(store) / "unmerged.json"
    if partitions:
        write_bytes(path, json.dumps(sorted(partitions)))
    else:
        path.unlink(missing_ok=True)


def read_manifest(store: Path) -> pd.DataFrame:
    """The manifest of the last run (no rows before the first)."""
    path = Path(store) / MANIFEST
    if not path.is_file():
        return pd.DataFrame({c: pd.Series(dtype=object) for c in MANIFEST_COLUMNS})
    return pd.read_parquet(path)


def write_manifest(store: Path, rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(MANIFEST_COLUMNS))
    frame["events"] = frame["events"].fillna(0).astype("int64")
    replace(Path(store) / MANIFEST, lambda tmp: frame.to_parquet(tmp, index=False))
    return frame
