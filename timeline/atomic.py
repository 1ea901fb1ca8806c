"""Files written whole or not at all: the one way timeline writes a file.

A write goes to a temporary file beside the target, which then replaces the target
(`os.replace`, atomic on POSIX): a reader (another worker, a crash) sees the old file or
the new one, never half of one.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Callable

from timeline.errors import ExportError


def atomic_write(path: str | os.PathLike, write: Callable[[Path], None]) -> Path:
    """Run `write(temp)` on a temporary file beside `path`, then move it over `path`.

    The file gets the mode a plain open() would give it. A failure at any point removes the
    temporary file and leaves `path` as it was; an OSError becomes an ExportError naming
    `path`; any other exception goes through. Returns the path.
    """
    path = Path(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise ExportError(f"cannot write {path}: {e.strerror or e}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException as e:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(e, OSError):
            raise ExportError(f"cannot write {path}: {e.strerror or e}") from None
        raise
    return path


def write_bytes(path: str | os.PathLike, data: bytes | str) -> Path:
    """Write `data` (text is written as UTF-8) to `path` atomically; returns the path.
    Raises ExportError naming `path` when it cannot be written."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    return atomic_write(path, lambda tmp: tmp.write_bytes(payload))
