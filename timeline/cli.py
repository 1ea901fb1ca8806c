"""The `timeline` command line: thin wrappers over the library.

Every bad input (a file that cannot be read, a date that cannot be parsed, a
document that is not what `--batch` expects) is reported as one line on stderr,
`timeline: error: INPUT: what was wrong`; the other inputs are still processed and
printed, and the exit code is 1. Input that cannot be used at all (bad JSON on
stdin, wrong options) exits with 2.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import click
from charset_normalizer import from_bytes

from timeline.errors import InputError
from timeline.temporal import Timex, tag

# Characters XML 1.0 cannot carry even as references; TimeML output shows them as U+FFFD
# so that offsets still line up with the tagged text.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def read_text(path: str | Path) -> str:
    """The text of the file at `path`: UTF-8 (a BOM is dropped), else the encoding
    charset-normalizer finds most likely. Line endings are kept as they are, so
    offsets returned by `tag` index this exact string.

    Raises InputError when the file cannot be opened or does not look like text.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise InputError(e.strerror or str(e)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        guess = from_bytes(data).best()
        text = str(guess) if guess is not None else None
    if text is None or "\x00" in text:
        raise InputError("not a text file (neither UTF-8 nor an encoding charset-normalizer recognises)")
    return text


def to_timeml(text: str, timexes: list[Timex]) -> str:
    """`text`, XML-escaped, with a `<TIMEX3 tid type value [mod]>` element around each
    timex (tids t1, t2, ... in text order). Wrapped in a root element it is well-formed
    XML whose character data is `text` again.

    Raises ValueError if two timexes overlap (they cannot both be elements).
    """
    out, pos = [], 0
    for n, t in enumerate(sorted(timexes, key=lambda t: (t.start, -t.end)), start=1):
        if t.start < pos:
            raise ValueError(f"overlapping timexes at offset {t.start}: {t.text!r}")
        attrs = f'tid="t{n}" type={quoteattr(t.type)} value={quoteattr(t.value)}'
        if t.mod:
            attrs += f" mod={quoteattr(t.mod)}"
        out += [_xml_text(text[pos:t.start]), f"<TIMEX3 {attrs}>", _xml_text(text[t.start:t.end]), "</TIMEX3>"]
        pos = t.end
    out.append(_xml_text(text[pos:]))
    return "".join(out)


def _xml_text(s: str) -> str:
    # \r as a reference: a parser would otherwise turn \r\n into \n.
    return _XML_ILLEGAL.sub("\ufffd", escape(s, {"\r": "&#13;"}))


def _fail(name: str, error: Exception) -> None:
    message = " ".join(str(error).split()) or type(error).__name__
    click.echo(f"timeline: error: {name}: {message}", err=True)


def _dump(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """timeline: turn news articles into a dated chronology."""


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=str))
@click.option("--dct", metavar="DATE",
              help="Document creation (publication) date that relative expressions are read "
                   "against: 2025-09-12 or 1998-01-08T10:30. Required unless --batch.")
@click.option("--format", "fmt", type=click.Choice(["json", "timeml"]), default="json", show_default=True,
              help="json: one object {FILE: [timex, ...]}; timeml: the text with TIMEX3 tags.")
@click.option("--batch", is_flag=True,
              help='Read a JSON list of {"id", "text", "dct"} on stdin; print one object {id: [timex, ...]}.')
def timex(files: tuple[str, ...], dct: str | None, fmt: str, batch: bool) -> None:
    """Find the temporal expressions in each FILE and normalise them (TIMEX3).

    \b
    json output, one object for all files (and for --batch):
      {"FILE": [{"start": 9, "end": 17, "text": "Thursday", "type": "DATE",
                 "value": "2025-09-11", "granularity": "day", "mod": ""}, ...]}
    start/end are character offsets into the file's decoded text (end exclusive).
    timeml output: each file's text with <TIMEX3 tid type value> elements; with
    several files each is preceded by a line <!-- FILE -->.

    A file or document that cannot be read (or whose dct cannot) is reported on
    stderr as one line and skipped; the rest is still printed and the exit code
    is 1. Input that is not a JSON list on stdin exits with 2.
    """
    if batch:
        if files or dct is not None or fmt != "json":
            raise click.UsageError("--batch reads every document and its dct from stdin and prints "
                                   "JSON: give no FILE, --dct or --format.")
        ok = _timex_batch()
    else:
        if not files:
            raise click.UsageError("Give at least one FILE, or --batch.")
        if dct is None:
            raise click.UsageError("Missing option '--dct' (the articles' publication date).")
        ok = _timex_files(files, dct, fmt)
    if not ok:
        sys.exit(1)


def _timex_files(files: tuple[str, ...], dct: str, fmt: str) -> bool:
    results, ok = {}, True
    for name in files:
        try:
            text = read_text(name)
            timexes = tag(text, dct)
            results[name] = to_timeml(text, timexes) if fmt == "timeml" else [t.to_dict() for t in timexes]
        except ValueError as e:  # InputError, or the tagger's unreadable dct
            _fail(name, e)
            ok = False
    if fmt == "json":
        _dump(results)
    else:
        for name, markup in results.items():
            if len(files) > 1:
                click.echo(f"<!-- {re.sub('-(?=-)', '- ', name)} -->")  # no "--" inside a comment
            click.echo(markup, nl=not markup.endswith("\n"))
    return ok


def _timex_batch() -> bool:
    with click.open_file("-", "rb") as stdin:
        raw = stdin.read()
    try:
        docs = json.loads(raw)
    except ValueError as e:
        _fail("stdin", InputError(f"not valid JSON ({e})"))
        sys.exit(2)
    if not isinstance(docs, list):
        _fail("stdin", InputError('expected a JSON list of {"id", "text", "dct"} objects'))
        sys.exit(2)
    results, ok = {}, True
    for i, doc in enumerate(docs):
        doc_id = doc.get("id") if isinstance(doc, dict) else None
        name = f"document {json.dumps(doc_id)}" if isinstance(doc_id, (str, int)) else f"document at index {i}"
        try:
            text, dct = _batch_fields(doc)
            if str(doc_id) in results:
                raise InputError("duplicate id")
            results[str(doc_id)] = [t.to_dict() for t in tag(text, dct)]
        except ValueError as e:
            _fail(name, e)
            ok = False
    _dump(results)
    return ok


def _batch_fields(doc) -> tuple[str, str]:
    """The (text, dct) of one --batch document, checked; InputError says what is wrong."""
    if not isinstance(doc, dict):
        raise InputError(f"expected an object with id, text and dct, got {type(doc).__name__}")
    for key, kinds in (("id", (str, int)), ("text", str), ("dct", str)):
        if key not in doc:
            raise InputError(f'missing "{key}"')
        if not isinstance(doc[key], kinds) or isinstance(doc[key], bool):
            raise InputError(f'"{key}" must be a {"string or integer" if key == "id" else "string"}, '
                             f"got {type(doc[key]).__name__}")
    return doc["text"], doc["dct"]


def _progress_bar(items):
    """A progress bar on stderr over the articles being parsed (only on a terminal)."""
    with click.progressbar(items, label="parsing", file=sys.stderr) as bar:
        yield from bar


@main.command()
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
def parse(paths: tuple[str, ...], published: str | None, fmt: str | None, output: str | None,
          overrides: str | None, max_bytes: int, geocoder: str, geocoder_cache: str | None) -> None:
    """Parse article files (.txt, .md, .html, .json) into one event frame.

    Each article that cannot be read is reported on stderr as one line and the others
    are still parsed and written; the exit code is then 1. A bad --published, a
    malformed overrides file or an unwritable output exits with 2 and writes nothing.
    """
    from timeline import frame as fr
    from timeline.errors import TimelineError
    from timeline.parse import parse as run_parse

    if published is not None:
        from timeline.sources import parse_published
        try:
            parse_published(published)
        except ValueError as e:
            _fail("--published", e)
            sys.exit(2)
    progress = _progress_bar if sys.stderr.isatty() and len(paths) > 1 else None
    online = None
    if geocoder.strip().lower() != "offline":
        from timeline.places import get_geocoder
        try:
            online = get_geocoder(geocoder, cache_dir=geocoder_cache)
        except ValueError as e:
            _fail("--geocoder", e)
            sys.exit(2)
    try:
        result = run_parse(paths, published=published, overrides=overrides, max_bytes=max_bytes,
                           progress=progress, geocoder=online)
    except (TimelineError, ValueError) as e:  # a bad --published or overrides file: its message names it
        click.echo(f"timeline: error: {' '.join(str(e).split())}", err=True)
        sys.exit(2)
    for line in result.errors:
        click.echo(f"timeline: error: {line}", err=True)
    for line in result.warnings:
        click.echo(f"timeline: warning: {line}", err=True)
    fmt = fmt or (Path(output).suffix.lstrip(".").lower() if output else "json")
    try:
        if output:
            fr.save(result.frame, output, format=fmt)
        else:
            if fmt == "parquet":
                raise click.UsageError("parquet output needs -o FILE")
            import tempfile
            with tempfile.TemporaryDirectory() as tmp:
                out = fr.save(result.frame, Path(tmp) / f"events.{fmt}", format=fmt)
                click.echo(out.read_text(encoding="utf-8"), nl=False)
    except TimelineError as e:
        _fail(output or "stdout", e)
        sys.exit(2)
    if result.errors:
        sys.exit(1)


def _register_commands() -> None:
    # Commands living beside the code they wrap; they import their heavy parts when run.
    from timeline.export_cli import export
    from timeline.webapp.commands import serve

    main.add_command(export)
    main.add_command(serve)


_register_commands()

if __name__ == "__main__":
    main(prog_name="timeline")
