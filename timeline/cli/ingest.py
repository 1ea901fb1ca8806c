"""`timeline ingest`: an archive of articles into a store, on Dask. A thin wrapper over
`timeline.archive.ingest`."""
from __future__ import annotations

import sys
import time

import click

from timeline.cli import messages


@click.command("ingest")
@click.argument("archive", nargs=-1, required=True)
@click.option("--store", "store", required=True, metavar="DIR", type=click.Path(file_okay=False, path_type=str),
              help="The store folder: Parquet events by year, and the manifest of every article.")
@click.option("--workers", type=click.IntRange(1, 1024), default=None, metavar="N",
              help="Worker processes of the local Dask cluster (default: the number of cores).")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="The scheduler of an existing Dask cluster to run on instead of a local one.")
@click.option("--chunk-bytes", type=click.IntRange(1_000, None), default=None, metavar="BYTES",
              help="Bytes of JSON Lines one task reads (default 1,000,000; also 64 article files a task).")
@click.option("--quiet", is_flag=True, help="No progress line.")
def ingest(archive: tuple[str, ...], store: str, workers: int | None, scheduler: str | None, chunk_bytes: int | None,
           quiet: bool) -> None:
    """Parse the articles of ARCHIVE (JSON Lines or Parquet files of articles, article
    files, folders, globs) into the store DIR, in parallel on Dask. A second run parses
    only what is new or changed. Every unreadable part is one line on stderr and a row
    of the manifest; the rest is ingested (exit code 1 when there was any)."""
    from timeline.archive import ingest as ingest_archive
    from timeline.errors import TimelineError

    started = time.monotonic()

    def progress(done: int, total: int, articles: int, errors: int) -> None:
        if quiet:
            return
        elapsed = time.monotonic() - started
        rate = articles / elapsed if elapsed > 0 else 0.0
        eta = elapsed / done * (total - done) if done else 0.0
        click.echo(f"\rtimeline: chunks {done}/{total} · {articles:,} articles · {rate:,.0f}/s · "
                   f"ETA {eta:,.0f} s · {errors:,} errors   ", nl=False, err=True)

    def dashboard(url: str) -> None:
        if not quiet:
            click.echo(f"timeline: Dask dashboard: {url}", err=True)

    try:
        report = ingest_archive(archive, store, workers=workers, scheduler=scheduler, progress=progress,
                                chunk_bytes=chunk_bytes, dashboard=dashboard)
    except (OSError, TimelineError) as e:  # the store itself cannot be written
        messages.error(e, store)
        sys.exit(2)
    if not quiet:
        click.echo("", err=True)
    for line in report.errors:
        messages.error(line)
    click.echo(f"timeline: {report.parsed:,} articles parsed, {report.unchanged:,} unchanged, "
               f"{len(report.errors):,} errors; years merged: {', '.join(report.years) or 'none'}; "
               f"{report.seconds:.1f} s; store: {store}", err=True)
    if report.errors:
        sys.exit(1)
