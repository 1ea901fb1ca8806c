"""Archives: hundreds of thousands of articles into a store, on Dask.

    from timeline.archive import ingest, read_events
    report = ingest(["wire-2024.jsonl", "site/"], "store/")   # a LocalCluster, one worker a core
    frame = read_events("store/")                              # the event frame, from Parquet

Modules: `sources` (an archive cut into chunks a worker reads on its own: JSON Lines byte
ranges, Parquet row groups, groups of article files), `store` (the store's layout: parsed
files and merged events by partition, the manifest), `ingest` (the run on Dask: parse the
chunks, merge the partitions that changed), `serving` (a store served part by part: its
index, the events the filters select). `timeline ingest` is `timeline.cli.ingest`.
"""
from timeline.archive.ingest import Report, ingest
from timeline.archive.store import read_events, read_manifest

__all__ = ["Report", "ingest", "read_events", "read_manifest"]
