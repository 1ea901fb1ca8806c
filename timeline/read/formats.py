"""The formats articles come in, each read into `Article`s:

- ``.txt``: the first non-empty line is the headline (``#`` marks stripped), the rest is the body.
  A first line that is itself a wire dateline ("VILNIUS, Sept 11 (Reuters) - ...") or longer
  than a headline can be (`HEADLINE_MAX_CHARS`) is body text, and the article has no title.
- ``.md``/``.markdown``: as ``.txt``, written as plain text (emphasis, link targets, heading and
  quote marks removed); an optional YAML front matter block gives title, date, source and url.
- ``.html``/``.htm``: trafilatura extracts the main text and the metadata (title, outlet,
  publication date, canonical URL). A page without article text is an error.
- ``.json``: one object, or a list of objects (or ``{"articles": [...]}``), each with ``text`` and
  optionally ``title``, ``published``, ``source``, ``url``. The text is kept character for
  character, so offsets computed by the caller on it stay valid.
"""
from __future__ import annotations

import datetime as dt
import json
import re

from timeline import bounded
from timeline.errors import InputError
from timeline.read.articles import Article, build
from timeline.read.published import find_dateline, parse_published

HEADLINE_MAX_CHARS = 250
"""A first line longer than this is a paragraph of body text, not a headline."""

MIN_HTML_WORDS = 5
"""An HTML page whose extracted text has fewer words than this has no article text."""

MAX_FRONT_MATTER_CHARS = 65_536
"""Longest YAML front matter block read, in characters (title, date, source and url take a
few hundred); a longer one is an error, not something to parse."""


def _split_headline(text: str) -> tuple[str, str]:
    """(headline, body) of a plain text: the first non-empty line is the headline, unless it
    opens with a dateline or is too long to be one."""
    stripped = text.strip()
    first, _, rest = stripped.partition("\n")
    dateline = find_dateline(first)
    if (dateline and (dateline.month or dateline.agency)) or len(first) > HEADLINE_MAX_CHARS:
        return "", stripped
    headline = re.sub(r"^#+\s*|\s*#+$", "", first.strip())
    body = rest.strip()
    if not body:  # a one-line file: the line is the article
        return headline, first.strip()
    return headline, body


def _heading(m: re.Match) -> str:
    """A heading's text without its closing hashes ("## Talks ##" -> "Talks")."""
    return m.group(1).rstrip(" \t").rstrip("#").rstrip(" \t")


def _if_closed(m: re.Match) -> str:
    """A link's text, an image's nothing, when the match closed it (its last group is the
    closing parenthesis); else the match unchanged (see `_MD_RULES`)."""
    if m.group(m.re.groups) is None:
        return m.group()
    return m.group(1) if m.re.groups > 1 else ""


def _unwrap(text: str, opener: re.Pattern, closers: dict[str, re.Pattern]) -> str:
    """`text` with each span between an opening mark (`opener`, the mark in its group 1) and
    the nearest closing mark of that kind on the same line (`closers[mark]`, at least one
    character further) replaced by what it encloses: what `re.sub(opener + "(.+?)" + closer)`
    does, in linear time. That regex rescanned the rest of the line for every opening mark
    without a closing one (`**a **a **a ...`: quadratic); here the first such mark of a kind
    tells that no later one on its line closes."""
    out, done, at, line_end = [], 0, 0, -1
    unclosed: dict[str, int] = {}  # mark -> end of the line where one of it found no closing
    while (m := opener.search(text, at)) is not None:
        mark = m.group(1)
        if m.end() > line_end:  # a mark on a new line
            line_end = text.find("\n", m.end())
            line_end = len(text) if line_end < 0 else line_end
        close = None if unclosed.get(mark) == line_end else closers[mark].search(text, m.end() + 1, line_end)
        if close is None:
            unclosed[mark] = line_end
            at = m.start() + 1
            continue
        out += [text[done:m.start()], text[m.end():close.start()]]
        done = at = close.end()
    return "".join(out) + text[done:]


# Markdown written as plain text, rule by rule: (pattern, replacement) pairs applied in order,
# then the emphasis marks (`_EMPHASIS`). Each is linear in the text: a link or an image whose
# closing bracket or parenthesis is missing is matched as it stands and kept (`_if_closed`),
# so that the brackets inside it are not tried again (they cannot close either); tried from
# each "[" of "[[[[...", the plain forms rescanned the text to its end every time.
_MD_RULES = (
    (re.compile(r"^ {0,3}#{1,6}[ \t]+(.*)$", re.M), _heading),  # headings
    (re.compile(r"^ {0,3}>[ \t]?", re.M), ""),  # block quotes
    (re.compile(r"^ {0,3}(?:[-*_][ \t]*+){3,}+$", re.M), ""),  # horizontal rules
    (re.compile(r"!\[[^\]]*+(?:\](?:\([^)]*+(\))?)?)?"), _if_closed),  # images: dropped
    (re.compile(r"\[(?:([^\]]++)(?:\](?:\([^)]*+(\))?)?)?)?"), _if_closed),  # links: their text
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
)
_EMPHASIS = (  # (opening mark, closing mark of each kind): strong, then emphasis
    (re.compile(r"(\*\*|__)(?=\S)"), {"**": re.compile(r"(?<=\S)\*\*"), "__": re.compile(r"(?<=\S)__")}),
    (re.compile(r"(?<![\w*])(\*)(?=\S)"), {"*": re.compile(r"(?<=\S)\*(?![\w*])")}),
    (re.compile(r"(?<![\w_])(_)(?=\S)"), {"_": re.compile(r"(?<=\S)_(?![\w_])")}),
)
_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.S)


def _markdown_to_text(md: str) -> str:
    for pattern, replacement in _MD_RULES:
        md = pattern.sub(replacement, md)
    for opener, closers in _EMPHASIS:
        md = _unwrap(md, opener, closers)
    return re.sub(r"\n{3,}", "\n\n", md)


def _front_matter(name: str, md: str) -> tuple[dict, str]:
    """(metadata, rest) of a Markdown text with a YAML front matter block, else ({}, md): a
    block that is not YAML (a rule, a paragraph, a rule) is Markdown.

    Raises InputError naming the file for a block over MAX_FRONT_MATTER_CHARS and for YAML
    that is out of bounds (`timeline.bounded`: an alias, deep nesting, a long number, a lone
    surrogate) or holds a value that cannot be read (the date 2025-13-45).
    """
    m = _FRONT_MATTER_RE.match(md)
    if not m:
        return {}, md
    block = m.group(1)
    if len(block) > MAX_FRONT_MATTER_CHARS:
        raise InputError(f"{name}: front matter is {len(block):,} characters, over the "
                         f"{MAX_FRONT_MATTER_CHARS:,}-character limit")
    import yaml

    try:
        meta = bounded.load_yaml(block, name, what="front matter")
    except (yaml.composer.ComposerError, yaml.constructor.ConstructorError) as e:  # YAML, but unusable
        line = f" line {e.problem_mark.line + 2}" if e.problem_mark is not None else ""
        raise InputError(f"{name}: front matter{line}: {e.problem}") from None
    except yaml.YAMLError:
        return {}, md
    if not isinstance(meta, dict):
        return {}, md
    return meta, md[m.end():]


def _read_text(name: str, text: str, argument: dt.date | None) -> list[Article]:
    title, body = _split_headline(text)
    if not body.strip():
        raise InputError(f"{name}: file is empty")
    return [build(body, title=title, path=name, source="", url="", argument=argument, stated=None)]


def _read_markdown(name: str, text: str, argument: dt.date | None) -> list[Article]:
    meta, md = _front_matter(name, text)
    metadata = None
    when = meta.get("published", meta.get("date"))
    if when is not None:
        try:
            metadata = parse_published(when)
        except InputError as e:
            raise InputError(f"{name}: front matter: {e}") from None
    if meta.get("title"):
        title = str(meta["title"]).strip()
        body = _markdown_to_text(md).strip()
        first, _, rest = body.partition("\n")
        if first.strip().casefold() == title.casefold():
            body = rest.strip()
    else:
        title, body = _split_headline(_markdown_to_text(md))
    if not body.strip():
        raise InputError(f"{name}: no article text")
    language = meta.get("language", meta.get("lang"))
    return [build(body, title=title, path=name, source=str(meta.get("source") or ""),
                   url=str(meta.get("url") or ""), argument=argument, stated=metadata,
                   language=str(language) if language is not None else None)]


def _read_html(name: str, html: str, argument: dt.date | None) -> list[Article]:
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        # Only dates the page's markup or URL states; the extensive search would pick a date
        # out of the body text, which may be an event's date, not the publication's.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = (doc.text or "") if doc is not None else ""
    if len(text.split()) < MIN_HTML_WORDS:
        raise InputError(f"{name}: no article text found in the HTML")
    title = (doc.title or "").strip()
    first, _, rest = text.partition("\n")
    if title and first.strip() == title and rest.strip():
        text = rest.lstrip("\n")
    metadata = None
    if doc.date:
        try:
            metadata = parse_published(doc.date)
        except InputError:
            metadata = None
    return [build(text, title=title, path=name, source=doc.sitename or doc.hostname or "",
                   url=doc.url or "", argument=argument, stated=metadata)]


def _read_json(name: str, text: str, argument: dt.date | None, problems: list[str] | None) -> list[Article]:
    try:
        data = bounded.load_json(text, name)
    except json.JSONDecodeError as e:
        raise InputError(f"{name}: not valid JSON ({e.msg} at line {e.lineno}, column {e.colno})") from None
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if isinstance(data, dict):
        return [_json_article(name, data, argument, label=name)]
    if not isinstance(data, list):
        raise InputError(f"{name}: JSON must be an article object or a list of them")
    if not data:
        raise InputError(f"{name}: the JSON list holds no articles")
    articles = []
    for i, item in enumerate(data):
        label = f"{name}, item {i + 1} of {len(data)}"
        try:
            articles.append(_json_article(name, item, argument, label=label))
        except InputError as e:
            if problems is None:
                raise
            problems.append(str(e))
    return articles


def article_from_mapping(item, *, name: str, label: str) -> Article:
    """The article of one JSON object (`text`, and optionally `title`, `published`,
    `source`, `url`, `language`), as a JSON file's item is read; `name` is its `path` (the file it came
    from), `label` names it in errors ('archive.jsonl, line 12'). Raises InputError."""
    return _json_article(name, item, None, label=label)


def _json_article(name: str, item, argument: dt.date | None, *, label: str) -> Article:
    if not isinstance(item, dict):
        raise InputError(f"{label}: not an article object")
    for key in ("title", "text", "source", "url", "language"):
        if item.get(key) is not None and not isinstance(item[key], str):
            raise InputError(f'{label}: "{key}" must be a string')
    text = item.get("text") or ""
    if not text.strip():
        raise InputError(f'{label}: no "text"')
    metadata = None
    if item.get("published") not in (None, ""):
        try:
            metadata = parse_published(item["published"])
        except InputError as e:
            raise InputError(f"{label}: published {e}") from None
    return build(text, title=item.get("title") or "", path=name, source=item.get("source") or "",
                  url=item.get("url") or "", argument=argument, stated=metadata, label=label,
                  language=item.get("language"))




def read_format(kind: str, name: str, text: str, argument: dt.date | None,
                problems: list[str] | None = None) -> list[Article]:
    """The articles of a file's decoded `text` in format `kind` ("text", "markdown", "html",
    "json"); see the module docstring. `problems` collects a bad JSON item's message
    instead of raising it. Raises InputError naming `name` for what cannot be read."""
    if kind == "json":
        return _read_json(name, text, argument, problems)
    reader = {"text": _read_text, "markdown": _read_markdown, "html": _read_html}[kind]
    return reader(name, text, argument)
