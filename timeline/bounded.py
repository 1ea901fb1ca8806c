"""Untrusted files, JSON and YAML read within bounds: the one way timeline opens a user's
file (`read_file`, `open_file`) and parses their JSON (`load_json`) and YAML (`load_yaml`,
`SafeLoader`).

A FIFO or a device, a nesting bomb, a YAML alias bomb, a 5,000-digit number or a lone
surrogate is then one error naming the input, raised before it can hang the process, blow
its stack or fill its memory; nothing here catches what it does not expect.
"""
from __future__ import annotations

import itertools
import json
import os
import re
import stat
from typing import IO, Any

import yaml
from yaml.constructor import ConstructorError

from timeline.errors import InputError

MAX_DEPTH = 64
"""Deepest nesting of lists and objects read from JSON or YAML. Ours nest at most 4 deep (a
TimelineJS slide's date); Python's own parsers give up (RecursionError) near 1,000."""

MAX_NUMBER_CHARS = 100
"""Longest number read from JSON or YAML, in characters (Python refuses integers over
4,300 digits, and no date, offset or coordinate needs more than 30)."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_CONTAINERS = frozenset({dict, list, tuple, set, frozenset})  # what json and yaml.SafeLoader build
_STRINGS = frozenset({str})
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"


# ------------------------------------------------------------------------------ files


def _file_kind(mode: int) -> str:
    for test, kind in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return "not a regular file"


def open_file(path: str | os.PathLike, *, error: type[Exception] = InputError,
              missing: str = "no such file") -> IO[bytes]:
    """The regular file at `path`, open for reading in binary.

    It is opened without blocking and checked before anything is read, so that a FIFO or a
    device is refused at once instead of hanging the reader. Raises `error` naming the path
    when it is missing (`missing` says so), a directory, not a regular file or unreadable.
    """
    name = os.fspath(path)
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise error(f"{name}: {missing}") from None
    except OSError as e:
        raise error(f"{name}: cannot be read ({e.strerror or e})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise error(f"{name}: is a directory, not a file")
        raise error(f"{name}: is {_file_kind(mode)}, not a regular file")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_file(path: str | os.PathLike, *, max_bytes: int | None = None, error: type[Exception] = InputError,
              missing: str = "no such file") -> bytes:
    """The bytes of the regular file at `path` (see `open_file`), at most `max_bytes` of them.

    Raises `error` naming the path for what `open_file` refuses, a file over `max_bytes`
    (before reading it, and again should it grow while being read) and a read that fails.
    """
    name = os.fspath(path)
    with open_file(path, error=error, missing=missing) as f:
        size = os.fstat(f.fileno()).st_size
        if max_bytes is not None and size > max_bytes:
            raise error(f"{name}: file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        try:
            data = f.read() if max_bytes is None else f.read(max_bytes + 1)
        except OSError as e:
            raise error(f"{name}: cannot be read ({e.strerror or e})") from None
    if max_bytes is not None and len(data) > max_bytes:
        raise error(f"{name}: file is over the {max_bytes:,}-byte limit")
    return data


# ------------------------------------------------------------------------------ trees


def lone_surrogate(text: str) -> str | None:
    """The first lone surrogate in `text` (a code point in U+D800..U+DFFF, which JSON's and
    YAML's "\\ud800" escapes can make but no UTF encoding can write), else None."""
    if text.isascii():
        return None
    m = _SURROGATE.search(text)
    return m.group() if m else None


def surrogate_problem(char: str) -> str:
    """The words saying that `char`, a lone surrogate, was found."""
    return f"a lone surrogate (\\u{ord(char):04x}), which is not a character: text must be valid Unicode"


def check_tree(data: Any, name: str, what: str, *, error: type[Exception] = InputError,
               strings: bool = True) -> None:
    """Check parsed JSON or YAML `data` (dicts, lists and the like, scalars): no deeper than
    MAX_DEPTH levels and, unless `strings` is False (the caller knows there can be none), no
    string or key holding a lone surrogate (JSON's "\\ud800" is not a character and cannot
    be written out as UTF-8). Raises `error` naming `name` and saying it is `what` ("JSON",
    "front matter", ...).

    Walks one level at a time, without recursion and in time linear in the size of `data`,
    with the values of a level gathered and sorted by C code (itertools): a 74 MB frame file,
    3.5 million values, takes about 0.3 s."""
    if strings and type(data) is str and lone_surrogate(data):
        raise error(f"{name}: the {what} holds {surrogate_problem(lone_surrogate(data))}")
    level = [data] if type(data) in _CONTAINERS else []
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            raise error(f"{name}: the {what} is nested deeper than {MAX_DEPTH} levels")
        dicts = [node for node in level if type(node) is dict]
        values = list(itertools.chain(itertools.chain.from_iterable(map(dict.values, dicts)),
                                      itertools.chain.from_iterable(n for n in level if type(n) is not dict)))
        if strings:
            items = values + list(itertools.chain.from_iterable(dicts))  # the keys too
            char = lone_surrogate("".join(itertools.compress(items, map(_STRINGS.__contains__, map(type, items)))))
            if char:
                raise error(f"{name}: the {what} holds {surrogate_problem(char)}")
        level = list(itertools.compress(values, map(_CONTAINERS.__contains__, map(type, values))))


# ------------------------------------------------------------------------------ JSON


class _LongNumber(Exception):
    """A JSON number over MAX_NUMBER_CHARS characters (raised inside json.loads)."""


def _number(kind: type):
    def parse(token: str):
        if len(token) > MAX_NUMBER_CHARS:
            raise _LongNumber(len(token))
        return kind(token)
    return parse


_INT, _FLOAT = _number(int), _number(float)


def load_json(text: str | bytes, name: str, *, error: type[Exception] = InputError) -> Any:
    """The value of JSON `text`, read within bounds: at most MAX_DEPTH levels of nesting,
    numbers of at most MAX_NUMBER_CHARS characters, no lone surrogate in a string.

    Raises `error` naming `name` for a document out of those bounds; json.JSONDecodeError
    (a ValueError; UnicodeDecodeError for bytes that are not UTF-8) for one that is not JSON,
    which each caller words in its own way.
    """
    if isinstance(text, (bytes, bytearray)):  # as json.loads decodes them
        text = text.decode(json.detect_encoding(text), "surrogatepass")
    # A lone surrogate comes from an escape, or from a str that already held one.
    strings = bool(_ESCAPED_SURROGATE.search(text) or lone_surrogate(text))
    try:
        data = json.loads(text, parse_int=_INT, parse_float=_FLOAT)
    except _LongNumber as e:
        raise error(f"{name}: the JSON holds a number of {e.args[0]:,} characters, over the "
                    f"{MAX_NUMBER_CHARS}-character limit") from None
    except RecursionError:  # deeper than Python's stack allows: far past MAX_DEPTH
        raise error(f"{name}: the JSON is nested deeper than {MAX_DEPTH} levels") from None
    check_tree(data, name, "JSON", error=error, strings=strings)
    return data


# ------------------------------------------------------------------------------ YAML


class Refused(ConstructorError):
    """YAML that is well-formed but out of bounds: an alias, nesting deeper than MAX_DEPTH,
    a number longer than MAX_NUMBER_CHARS characters."""


class SafeLoader(yaml.SafeLoader):
    """yaml.SafeLoader without aliases, with nesting and numbers bounded, and with a value
    its constructor cannot build (int("9" * 5000), the date 2025-13-45) raised as a
    ConstructorError at its line instead of a bare ValueError.

    Aliases are refused outright: `&a [*b, *b, ...]` nine times over is 343 bytes that expand
    into gigabytes once the value is copied or printed, and no input of ours needs one.
    """

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise Refused(None, None, f"found the alias *{event.anchor}: YAML aliases are not allowed",
                          event.start_mark)
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)) and self._depth >= MAX_DEPTH:
            raise Refused(None, None, f"nested deeper than {MAX_DEPTH} levels", event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node, deep=False):
        if node.tag in (_INT_TAG, _FLOAT_TAG) and len(node.value) > MAX_NUMBER_CHARS:
            raise Refused(None, None, f"a number of {len(node.value):,} characters, over the "
                          f"{MAX_NUMBER_CHARS}-character limit", node.start_mark)
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as e:  # a scalar its constructor cannot build
            raise ConstructorError(None, None, f"{node.value!r} cannot be read ({e})", node.start_mark) from None


def load_yaml(text: str, name: str, *, what: str = "YAML", loader: type[SafeLoader] = SafeLoader,
              error: type[Exception] = InputError) -> Any:
    """The value of YAML `text` read with `loader` (SafeLoader or a subclass): no alias,
    at most MAX_DEPTH levels, numbers of at most MAX_NUMBER_CHARS characters, no lone
    surrogate (YAML's "\\ud800" escape) in a string.

    Raises yaml.YAMLError (Refused for what is out of bounds) for text it cannot load, and
    `error` naming `name` and `what` for a lone surrogate.
    """
    data = yaml.load(text, Loader=loader)
    check_tree(data, name, what, error=error)
    return data
