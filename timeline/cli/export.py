"""`timeline export`: articles, saved frames or TimelineJS files in; data files, a
standalone page and print figures out. A thin wrapper over `timeline.export`."""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from timeline.cli import messages
from timeline.errors import TimelineError

if TYPE_CHECKING:  # pandas loads only when the command runs: `timeline timex` stays quick to start
    import pandas as pd

# (option, export format) for the data outputs, in the order they are written.
_DATA_OUTPUTS = (("csv", "csv"), ("json", "json"), ("parquet", "parquet"), ("geojson", "geojson"),
                 ("timelinejs", "timelinejs"), ("html", "html"))
_PRINT_OUTPUTS = ("png", "svg", "pdf")


def _with_path(path: str, error: Exception) -> str:
    """The error's message, prefixed with `path` unless it already names it."""
    message = messages.one_line(error)
    return message if str(path) in message else f"{path}: {message}"


def read_inputs(paths, *, published=None) -> tuple["pd.DataFrame", list[str], int]:
    """Every input as one frame: articles are parsed together, saved frames and TimelineJS
    files (JSON or sheet CSV) are read, and all are merged (`timeline.frame.merge`).

    Returns (frame, one error line per input that could not be used, whatever went wrong
    with it (`timeline.read.input_problem`), number of inputs read). Raises InputError only
    for a bad `published` (a problem of the call).
    """
    from timeline import export as ex
    from timeline import frame as fr
    from timeline.parse import parse
    from timeline.read import input_problem

    frames, errors, articles, read = [], [], [], 0
    for path in paths:
        try:
            kind = ex.input_kind(path)
            if kind == "article":
                articles.append(path)
                continue
            frames.append(ex.read_timelinejs(path) if kind.startswith("timelinejs") else fr.load(path))
            read += 1
        except Exception as e:  # noqa: BLE001 -- one file's failure is that file's line, never the call's
            errors.append(input_problem(path, e))
    if articles:
        result = parse(articles, published=published)
        errors += result.errors
        read += sum(1 for a in articles if not any(line.startswith(f"{a}:") for line in result.errors))
        frames.insert(0, result.frame)
    merged = fr.merge(frames) if len(frames) > 1 else (frames[0] if frames else fr.empty_frame())
    return merged, errors, read


@click.command("export")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--published", metavar="DATE", help="Publication date for every article (else each article's own).")
@click.option("--overrides", metavar="FILE", type=click.Path(path_type=str),
              help="Editorial corrections (CSV or YAML) keyed by event_id, applied to all events.")
@click.option("--csv", "csv_out", metavar="FILE", help="The event frame as CSV.")
@click.option("--json", "json_out", metavar="FILE", help="The event frame as JSON.")
@click.option("--parquet", "parquet_out", metavar="FILE", help="The event frame as Parquet.")
@click.option("--geojson", "geojson_out", metavar="FILE", help="Events with coordinates as GeoJSON points.")
@click.option("--timelinejs", "timelinejs_out", metavar="FILE", help="Knight Lab TimelineJS JSON.")
@click.option("--html", "html_out", metavar="FILE",
              help="One self-contained page (plotly.js and map inline; works offline).")
@click.option("--png", "png_out", metavar="FILE", help="Print figure as PNG (DPI recorded).")
@click.option("--svg", "svg_out", metavar="FILE", help="Print figure as SVG.")
@click.option("--pdf", "pdf_out", metavar="FILE", help="Print figure as PDF.")
@click.option("--width-mm", type=float, default=180, show_default=True, help="Print width in millimetres.")
@click.option("--height-mm", type=float, default=None, help="Print height in millimetres [default: from --view].")
@click.option("--dpi", type=int, default=300, show_default=True, help="PNG resolution (72-1200).")
@click.option("--view", type=click.Choice(["both", "timeline", "map"]), default="both", show_default=True,
              help="What the print figure and the page show.")
@click.option("--title", metavar="TEXT",
              help='Title of the figure, page and TimelineJS [default: the story file\'s, else "Chronology, YYYY-YYYY"].')
@click.option("--story", "story_path", metavar="FILE", type=click.Path(path_type=str),
              help="The story file: routes, places and view of the map [default: story.yaml beside the inputs].")
@click.option("--from", "date_from", metavar="DATE", help="Print: first day of the time axis [default: the first event].")
@click.option("--to", "date_to", metavar="DATE", help="Print: last day of the time axis [default: the last event].")
def export(paths, published, overrides, csv_out, json_out, parquet_out, geojson_out, timelinejs_out, html_out,
           png_out, svg_out, pdf_out, width_mm, height_mm, dpi, view, title, story_path, date_from, date_to) -> None:
    """Export the events of PATH... (articles, saved frames, TimelineJS JSON or sheet CSV)
    to every file asked for, in one call.

    \b
    A .json is read as TimelineJS when it is an object whose "events" hold
    slides with a start_date, as a saved frame when its objects have event_id,
    else as articles; a .csv as a TimelineJS sheet (Year ... Headline columns)
    or a saved frame (event_id ...). All inputs are merged into one chronology.

    \b
    The map of the page and the print figure draws the story file (--story, or
    story.yaml in the folder of the first input): its routes, places, view and title;
    an entry of it that cannot be used is a warning line, the rest is drawn.

    \b
    Print sizes: 180 mm at 300 dpi is 2126 px; SVG and PDF pages are the size
    in millimetres. Chromium renders the figures (sudo apt-get install chromium).

    An input that cannot be read, or an output that cannot be written, is
    reported on stderr as one line; the rest is still done and the exit code is
    1. A bad --published, --overrides or print size exits with 2 and writes nothing.
    """
    data_outputs = [(fmt, path) for (name, fmt), path in zip(
        _DATA_OUTPUTS, (csv_out, json_out, parquet_out, geojson_out, timelinejs_out, html_out)) if path]
    print_outputs = [(fmt, path) for fmt, path in zip(_PRINT_OUTPUTS, (png_out, svg_out, pdf_out)) if path]
    if not data_outputs and not print_outputs:
        raise click.UsageError("Give at least one output: --csv, --json, --parquet, --geojson, --timelinejs, "
                               "--html, --png, --svg or --pdf.")
    window, corrections = _check_call(published, date_from, date_to, overrides,
                                      print_size=(width_mm, height_mm, dpi, view), print_outputs=print_outputs)
    frame, ok = _read(paths, published, corrections)
    story_file = _story_file(story_path, paths)
    ok = _write_data(frame, data_outputs, title=title, view=view, story_file=story_file) and ok
    if print_outputs:
        ok = _write_prints(frame, print_outputs, size=(width_mm, height_mm, dpi), view=view, title=title,
                           window=window, story_file=story_file) and ok
    if not ok:
        sys.exit(1)


def _check_call(published, date_from, date_to, overrides, *, print_size, print_outputs):
    """The problems of the call itself, checked before anything is read or written: exit
    with 2 and one line for a bad --published, --from/--to, overrides file or print size.
    Returns (the print window's dates, each None when not given; the corrections or None)."""
    from timeline import export as ex
    from timeline import frame as fr
    from timeline.read import parse_published

    try:
        if published is not None:
            parse_published(published)
        window = [parse_published(d) if d is not None else None for d in (date_from, date_to)]
        if all(window) and window[0] >= window[1]:
            raise click.BadParameter(f"--from {date_from} is not before --to {date_to}")
        corrections = fr.load_overrides(overrides) if overrides else None
        if print_outputs:
            ex.print_size(*print_size, formats=[fmt for fmt, _ in print_outputs])
    except (TimelineError, ValueError, click.BadParameter) as e:
        messages.error(e.format_message() if isinstance(e, click.BadParameter) else e)
        sys.exit(2)
    return window, corrections


def _read(paths, published, corrections) -> tuple["pd.DataFrame", bool]:
    """(every input as one frame, corrected (see `read_inputs`); whether every input could
    be used): one line per input that could not; exit with 1 when none could."""
    from timeline import frame as fr

    frame, errors, read = read_inputs(paths, published=published)
    for line in errors:
        messages.error(line)
    if read == 0:
        messages.error("no input could be read; nothing written")
        sys.exit(1)
    if corrections is not None:
        frame, warnings = fr.apply_overrides(frame, corrections)
        for line in warnings:
            messages.warning(line)
    return frame, not errors


def _story_file(story_path, paths):
    """The story file asked for (`--story`) or beside the inputs (`figures.story_file`),
    each of its problems a warning line (a --story file that cannot be read: one line, and
    no story file)."""
    from timeline.figures import story_file as stories

    if story_path is None:
        story_path = stories.beside(paths)
    story = stories.load(story_path)
    for line in story.problems:
        messages.warning(line)
    return story


def _write_data(frame, outputs, *, title, view, story_file) -> bool:
    """Write each data output; one line per file written or failed. False when one failed."""
    from timeline import export as ex

    ok = True
    for fmt, path in outputs:
        try:
            ex.write_export(frame, path, fmt, title=title, view=view, story_file=story_file)
            click.echo(f"wrote {path}", err=True)
        except TimelineError as e:
            messages.error(_with_path(path, e))
            ok = False
    return ok


def _write_prints(frame, outputs, *, size, view, title, window, story_file) -> bool:
    """Render each print figure with one Chromium; one line per file written or failed,
    and, once Chromium is found missing, one line per figure left. False when one failed."""
    from timeline import export as ex

    width_mm, height_mm, dpi = size
    ok = True
    with ex.Renderer() as renderer:
        for n, (fmt, path) in enumerate(outputs):
            try:
                renderer.render(frame, path, fmt=fmt, width_mm=width_mm, height_mm=height_mm, dpi=dpi,
                                view=view, title=title, x_range=ex.print_range(frame, *window),
                                story_file=story_file)
                click.echo(f"wrote {path}", err=True)
            except TimelineError as e:
                messages.error(_with_path(path, e))
                ok = False
                if "Chromium" in str(e):  # no browser: the other figures would fail the same way
                    for _, rest in outputs[n + 1:]:
                        messages.error("not rendered (no Chromium)", rest)
                    break
    return ok
