"""`timeline timex`: the temporal expressions of files (or of JSON documents on stdin),
normalised to TIMEX3 values. A thin wrapper over `timeline.temporal.tag`; files are decoded
by `timeline.read.decode`, as `timeline parse` decodes them, so that both commands'
offsets index the same text."""
from __future__ import annotations

import json
import re
import sys
from xml.sax.saxutils import escape, quoteattr

import click

from timeline import bounded
from timeline.cli import messages
from timeline.errors import InputError
from timeline.lang import detect
from timeline.read import MAX_BYTES, decode, input_problem
from timeline.temporal import Timex, tag

# Characters XML 1.0 cannot carry even as references; TimeML output shows them as U+FFFD
# so that offsets still line up with the tagged text.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@click.command("timex")
@click.argument("files", nargs=-1, type=click.Path(path_type=str))
@click.option("--dct", metavar="DATE",
              help="Document creation (publication) date that relative expressions are read "
                   "against: 2025-09-12 or 1998-01-08T10:30. Required unless --batch.")
@click.option("--format", "fmt", type=click.Choice(["json", "timeml"]), default="json", show_default=True,
              help="json: one object {FILE: [timex, ...]}; timeml: the text with TIMEX3 tags.")
@click.option("--batch", is_flag=True,
              help='Read a JSON list of {"id", "text", "dct"} on stdin (each may add "lang"); print one '
                   'object {id: [timex, ...]}.')
@click.option("--genre", type=click.Choice(["news", "narrative"]), default=None,
              help="Which time a month or day without a year belongs to: news (the dct's) or narrative "
                   "(the year the text is telling). Default: judged per document from the years it names.")
@click.option("--lang", type=click.Choice(detect.READ), default=None,
              help="The language of every file or document (ISO 639-1). Default: detected per file or "
                   "document; a document's own \"lang\" wins.")
def timex(files: tuple[str, ...], dct: str | None, fmt: str, batch: bool, genre: str | None,
          lang: str | None) -> None:
    """Find the temporal expressions in each FILE and normalise them (TIMEX3).

    \b
    json output, one object for all files (and for --batch):
      {"FILE": [{"start": 9, "end": 17, "text": "Thursday", "type": "DATE",
                 "value": "2025-09-11", "granularity": "day", "mod": ""}, ...]}
    start/end are character offsets into the file's decoded text (end exclusive),
    decoded as `timeline parse` decodes it (line endings as "\\n").
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
        ok = _timex_batch(genre, lang)
    else:
        if not files:
            raise click.UsageError("Give at least one FILE, or --batch.")
        if dct is None:
            raise click.UsageError("Missing option '--dct' (the articles' publication date).")
        ok = _timex_files(files, dct, fmt, genre, lang)
    if not ok:
        sys.exit(1)


def read_file(name: str) -> str:
    """The text of the file `name`, decoded by `timeline.read.decode` (UTF-8 or UTF-16 with a
    BOM, else the legacy encoding charset-normalizer finds, cp1252 first; line endings "\\n").

    Raises InputError, its message starting with `name`, when the file cannot be read, is
    not a regular file (a FIFO would block: `timeline.bounded.read_file`), is over
    `timeline.read.MAX_BYTES` or does not look like text.
    """
    return decode(name, bounded.read_file(name, max_bytes=MAX_BYTES))


def _timex_files(files: tuple[str, ...], dct: str, fmt: str, genre: str | None, lang: str | None) -> bool:
    results, ok = {}, True
    for name in files:
        try:
            text = read_file(name)
            timexes = tag(text, dct, genre, lang)
            results[name] = to_timeml(text, timexes) if fmt == "timeml" else [t.to_dict() for t in timexes]
        except Exception as e:  # noqa: BLE001 -- one file's failure is that file's line, never the call's
            # InputError names the file; the tagger's unreadable dct or overlapping timexes
            # (ValueError) and any other failure get its name in front (`input_problem`).
            messages.error(input_problem(name, e))
            ok = False
    if fmt == "json":
        messages.dump(results)
    else:
        for name, markup in results.items():
            if len(files) > 1:
                click.echo(f"<!-- {re.sub('-(?=-)', '- ', name)} -->")  # no "--" inside a comment
            click.echo(markup, nl=not markup.endswith("\n"))
    return ok


def _timex_batch(genre: str | None, lang: str | None) -> bool:
    with click.open_file("-", "rb") as stdin:
        raw = stdin.read()
    try:
        docs = bounded.load_json(raw, "stdin")
    except InputError as e:  # out of bounds: nesting, a long number, a lone surrogate
        messages.error(e)
        sys.exit(2)
    except ValueError as e:
        messages.error(InputError(f"not valid JSON ({e})"), "stdin")
        sys.exit(2)
    if not isinstance(docs, list):
        messages.error(InputError('expected a JSON list of {"id", "text", "dct"} objects'), "stdin")
        sys.exit(2)
    results, ok = {}, True
    for i, doc in enumerate(docs):
        doc_id = doc.get("id") if isinstance(doc, dict) else None
        name = f"document {json.dumps(doc_id)}" if isinstance(doc_id, (str, int)) else f"document at index {i}"
        try:
            text, dct, doc_lang = _batch_fields(doc)
            if str(doc_id) in results:
                raise InputError("duplicate id")
            results[str(doc_id)] = [t.to_dict() for t in tag(text, dct, genre, doc_lang or lang)]
        except Exception as e:  # noqa: BLE001 -- one document's failure is its line, never the call's
            messages.error(input_problem(name, e))
            ok = False
    messages.dump(results)
    return ok


def _batch_fields(doc) -> tuple[str, str, str | None]:
    """The (text, dct, lang or None) of one --batch document, checked; InputError says what is wrong."""
    if not isinstance(doc, dict):
        raise InputError(f"expected an object with id, text and dct, got {type(doc).__name__}")
    for key, kinds in (("id", (str, int)), ("text", str), ("dct", str)):
        if key not in doc:
            raise InputError(f'missing "{key}"')
        if not isinstance(doc[key], kinds) or isinstance(doc[key], bool):
            raise InputError(f'"{key}" must be a {"string or integer" if key == "id" else "string"}, '
                             f"got {type(doc[key]).__name__}")
    lang = doc.get("lang")
    if lang is not None:
        try:
            lang = detect.check(lang, '"lang"')
        except ValueError as e:
            raise InputError(str(e)) from None
    return doc["text"], doc["dct"], lang


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
