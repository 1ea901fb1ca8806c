"""Articles dropped into the page: checked, saved into the uploads folder, named when bad.

A dropped file is parsed in the sandbox (`sandbox.parse_bytes`: a child process under time
and memory limits) before it is accepted: one that fails or goes over a limit is named with
the reason and never saved. The uploads folder is shared by every worker (see `corpus.py`):
a file appears whole or not at all, under a name no other upload holds (`_save`: a hard link
that fails rather than replace), so no worker reads half a file and no upload is lost.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import urllib.parse
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from timeline import atomic
from timeline.errors import ExportError, TimelineError
from timeline.read import EXTENSIONS, MAX_BYTES, input_problem
from timeline.webapp import sandbox

MAX_UPLOAD_FILES = 20
"""Files taken from one drop."""


@dataclass
class UploadResult:
    """What an upload did: files saved (paths), and one line per file saying so or why not."""

    saved: list[Path] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str) -> str:
    """A file name safe to save under: the base name, runs of other characters as '-',
    no leading dot; its extension kept."""
    base = Path(str(name).replace("\\", "/")).name
    stem, ext = os.path.splitext(base)
    stem = _SAFE.sub("-", stem).strip("-.") or "article"
    return stem[:80] + _SAFE.sub("", ext.lower())


def decode_upload(contents: str) -> bytes:
    """The bytes of a dcc.Upload `contents` value ('data:<type>;base64,<data>').
    Raises ValueError when it is not one."""
    if not isinstance(contents, str) or "," not in contents:
        raise ValueError("not a file")
    head, _, data = contents.partition(",")
    if ";base64" not in head:
        return urllib.parse.unquote_to_bytes(data)
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("the upload is garbled") from None


def save_uploads(contents: Sequence[str] | str | None, filenames: Sequence[str] | str | None,
                 upload_dir: str | os.PathLike, *, max_bytes: int = MAX_BYTES,
                 limits: sandbox.Limits | None = None) -> UploadResult:
    """Check and save uploaded article files into `upload_dir`.

    Each file is read as the corpus is (`read.read_bytes`: .txt, .md, .html, .json;
    not empty, not binary, at most `max_bytes`) and its events extracted, in the sandbox
    under `limits` (default `sandbox.Limits()`); a good one is saved under its safe name
    (a different file already there under that name gets '-2', '-3', ...; the same
    content is not saved twice, even by uploads at the same moment). A bad one, or one
    over a limit, is named in `errors` with what was wrong (any failure reading it:
    `timeline.read.input_problem`) and never saved, and the others are still saved. At most
    MAX_UPLOAD_FILES files are taken. `contents` and `filenames` may be anything a request
    carries: a value that is not a list is one file (see `_as_list`), a missing name is
    "upload". A file's content is a data URL as dcc.Upload sends it, or its bytes (the
    API's, never a request's JSON).
    """
    result = UploadResult()
    contents = _as_list(contents)
    filenames = _as_list(filenames)
    filenames += [None] * (len(contents) - len(filenames))
    upload_dir = Path(upload_dir)
    for n, (data_url, name) in enumerate(zip(contents, filenames)):
        name = str(name or "upload")
        if n >= MAX_UPLOAD_FILES:
            result.errors.append(f"{name}: not read, at most {MAX_UPLOAD_FILES} files at a time")
            continue
        try:
            data = data_url if isinstance(data_url, bytes) else decode_upload(data_url)
            if Path(name).suffix.lower() not in EXTENSIONS:
                raise TimelineError(f"unknown file type {Path(name).suffix or '(none)'}; "
                                    f"expected one of {', '.join(sorted(EXTENSIONS))}")
            if len(data) > max_bytes:
                raise TimelineError(f"file is {len(data):,} bytes, over the {max_bytes:,}-byte limit")
            articles = _checked(name, data, max_bytes, limits or sandbox.Limits(), result)
        except Exception as e:  # noqa: BLE001 -- one file's failure is that file's line, never the drop's
            result.errors.append(input_problem(name, e))
            continue
        try:
            target = _save(upload_dir, safe_name(name), data)
        except (OSError, ExportError) as e:
            result.errors.append(f"{name}: could not be saved ({_reason(e)})")
            continue
        if target is None:
            result.messages.append(f"{name}: already uploaded")
            continue
        result.saved.append(target)
        result.messages.append(f"{name}: {len(articles)} article{'s' if len(articles) != 1 else ''} added")
    return result


def _as_list(value) -> list:
    """`contents` or `filenames` as the browser may send them, or as anyone may post them:
    a list (or tuple) as a list, None as [], any other value as a list of that one value
    (each is then checked, and a bad one named, as a file)."""
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _checked(name: str, data: bytes, max_bytes: int, limits: sandbox.Limits, result: UploadResult) -> list:
    """The articles of the dropped file `name` (its `data`), parsed in the sandbox; the
    problems of its parts added to `result.errors`. Raises TimelineError saying why the
    file gave nothing (unreadable, over a limit, no article)."""
    parsed = sandbox.parse_bytes(name, data, limits=limits, max_bytes=max_bytes)
    if parsed.refused:
        raise TimelineError(parsed.refused)
    result.errors += parsed.errors
    if not parsed.articles:
        raise TimelineError("no article in it")
    return parsed.articles


def save_payload(payload: Mapping, upload_dir: str | os.PathLike, *, max_bytes: int = MAX_BYTES,
                 limits: sandbox.Limits | None = None) -> UploadResult:
    """Save a drop as the browser sends it (`#upload-payload`, built by assets/app.js's
    checkUploadSizes: {contents, filenames, rejected}): see `save_uploads`. The files the
    browser already refused for their size (`rejected`, one line each) come first in
    `errors`."""
    result = save_uploads(payload.get("contents") or [], payload.get("filenames") or [], upload_dir,
                          max_bytes=max_bytes, limits=limits)
    result.errors[:0] = [str(r) for r in _as_list(payload.get("rejected"))]
    return result


def start_story(newsroom, name, payload: Mapping, *, who: str, max_bytes: int = MAX_BYTES,
                limits: sandbox.Limits | None = None) -> tuple[str, UploadResult]:
    """Start the story `name` (`newsroom.Newsroom.start`) with the articles of a drop
    (`payload`, as `save_payload` takes it), for `who`: (its name, what the drop did), or
    ('', the one line why not) when no file of the drop is an article or the name is not
    one a new story may take. A story is never started empty."""
    from timeline.store.stories import check_name

    result = UploadResult()
    try:
        name = check_name(name)
        if newsroom.exists(name):
            raise TimelineError(f"there is already a story called {name!r}: open it to add articles")
    except TimelineError as e:
        result.errors.append(" ".join(str(e).split()))
        return "", result
    staged = newsroom.stories_dir / f".new-{uuid.uuid4().hex}"
    try:
        result = save_payload(payload, staged / "uploads", max_bytes=max_bytes, limits=limits)
        if not result.saved:
            return "", result
        newsroom.start(name, who=who)
        files = [(path.name, path.read_bytes()) for path in result.saved]
        for file_name, data in files:
            _save(newsroom.folder(name) / "uploads", file_name, data)
        newsroom.added(name, files, who=who)
    except (TimelineError, OSError) as e:
        result.errors.append(" ".join(str(e).split()))
        return "", result
    finally:
        _remove(staged)
    return name, result


def _remove(folder: Path) -> None:
    """Remove the staging `folder` and the files in it (nothing when it was never made)."""
    for sub in (folder / "uploads", folder):
        if sub.is_dir():
            for f in sub.iterdir():
                if f.is_file():
                    f.unlink(missing_ok=True)
            sub.rmdir()


def _save(folder: Path, name: str, data: bytes) -> Path | None:
    """Write `data` as `folder/name` (or name-2, -3, ... when another file has it);
    None when a file there already holds exactly `data`. The file is written whole beside
    its name, then linked to it (`_publish`): a worker never reads half a file, and of two
    uploads taking one name at the same moment, one gets the next name. Raises ExportError
    or OSError when it cannot be written."""
    folder.mkdir(parents=True, exist_ok=True)
    stem, ext = os.path.splitext(name)
    digest = hashlib.sha1(data).digest()
    # A name of its own (hidden: the corpus skips dot files), written whole before it is linked.
    tmp = atomic.write_bytes(folder / f".{name}.{uuid.uuid4().hex}.upload", data)
    try:
        for n in range(1, 1000):
            target = folder / (name if n == 1 else f"{stem}-{n}{ext}")
            if _publish(tmp, target):
                return target
            if _digest(target) == digest:
                return None
        raise OSError(f"too many files named {name}")
    finally:
        tmp.unlink(missing_ok=True)


def _publish(tmp: Path, target: Path) -> bool:
    """Give the file `tmp` the name `target` unless a file holds it (False)."""
    try:
        os.link(tmp, target)
        return True
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links: claim the name, then fill it
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            return False
        os.close(fd)
        os.replace(tmp, target)
        return True


def _digest(path: Path) -> bytes | None:
    try:
        return hashlib.sha1(path.read_bytes()).digest()
    except OSError:
        return None


def _reason(error: Exception) -> str:
    """Why a file could not be saved, as the system says it ('Permission denied'), without
    the server's paths."""
    cause = error if isinstance(error, OSError) else error.__context__
    return (cause.strerror if isinstance(cause, OSError) else None) or str(error)
