"""`timeline parse`: article files into one event frame, written as JSON, CSV or Parquet.
A thin wrapper over `timeline.parse.parse` and `timeline.frame.save`."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from timeline.cli import messages
from timeline.lang.detect import READ


@click.command("parse")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--published", metavar="DATE", help="Publication date for every article (else each article's own).")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "parquet"]), default=None,
              help="Output format (default: from -o's extension, else json).")
@click.option("-o", "--output", metavar="FILE", help="Write here (atomically) instead of standard output.")
@click.option("--overrides", metavar="FILE", type=click.Path(path_type=str),
              help="Editorial corrections (CSV or YAML) keyed by event_id, applied after parsing.")
@click.option("--max-bytes", type=int, default=10_000_000, show_default=True, help="Largest article file read.")
@click.option("--geocoder", default="offline", show_default=True,
              help="offline (GeoNames gazetteer, no network), or nominatim / any geopy service when online.")
@click.option("--geocoder-cache", metavar="DIR", type=click.Path(path_type=str),
              help="Where an online geocoder's answers are kept (default: the user cache folder).")
@click.option("--lang", type=click.Choice(READ), default=None,
              help="The language of every article (ISO 639-1). Default: each article's own, as it "
                   "declares it (JSON \"language\", front matter) or as detected.")
def parse(paths: tuple[str, ...], published: str | None, fmt: str | None, output: str | None,
          overrides: str | None, max_bytes: int, geocoder: str, geocoder_cache: str | None,
          lang: str | None) -> None:
    """Parse article files (.txt, .md, .html, .json), or folders of them, into one event frame.

    Each article that cannot be read is reported on stderr as one line and the others
    are still parsed and written; the exit code is then 1. A bad --published, a
    malformed overrides file or an unwritable output exits with 2 and writes nothing.
    """
    from timeline.errors import TimelineError
    from timeline.parse import parse as run_parse

    _check_published(published)
    online = _online_geocoder(geocoder, geocoder_cache)
    progress = _progress_bar if sys.stderr.isatty() and len(paths) > 1 else None
    try:
        result = run_parse(paths, published=published, overrides=overrides, max_bytes=max_bytes,
                           progress=progress, geocoder=online, language=lang)
    except (TimelineError, ValueError) as e:  # a bad --published or overrides file: its message names it
        messages.error(e)
        sys.exit(2)
    for line in result.errors:
        messages.error(line)
    for line in result.warnings:
        messages.warning(line)
    _write(result.frame, output, fmt or (Path(output).suffix.lstrip(".").lower() if output else "json"))
    if result.errors:
        sys.exit(1)


def _check_published(published: str | None) -> None:
    """Exit with 2 and one line when --published is given and is not a date."""
    if published is None:
        return
    from timeline.read import parse_published

    try:
        parse_published(published)
    except ValueError as e:
        messages.error(e, "--published")
        sys.exit(2)


def _online_geocoder(name: str, cache_dir: str | None):
    """The online geocoder `name` asks for, None for "offline"; exits with 2 and one line
    for a service geopy does not know."""
    if name.strip().lower() == "offline":
        return None
    from timeline.extract.places import get_geocoder

    try:
        return get_geocoder(name, cache_dir=cache_dir)
    except ValueError as e:
        messages.error(e, "--geocoder")
        sys.exit(2)


def _write(frame, output: str | None, fmt: str) -> None:
    """Save `frame` to `output` in `fmt` (atomically), or print it (json, csv) when there is
    no output; exits with 2 and one line when it cannot be written."""
    from timeline import frame as fr
    from timeline.errors import TimelineError

    try:
        if output:
            fr.save(frame, output, format=fmt)
            return
        if fmt == "parquet":
            raise click.UsageError("parquet output needs -o FILE")
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            out = fr.save(frame, Path(tmp) / f"events.{fmt}", format=fmt)
            click.echo(out.read_text(encoding="utf-8"), nl=False)
    except TimelineError as e:
        messages.error(e, output or "stdout")
        sys.exit(2)


def _progress_bar(items):
    """A progress bar on stderr over the articles being parsed (only on a terminal)."""
    with click.progressbar(items, label="parsing", file=sys.stderr) as bar:
        yield from bar
