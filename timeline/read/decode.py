"""Bytes into text: the one decoder of every command (`timeline timex`, `timeline parse`,
uploads), so that a file always reads into the same characters and offsets."""
from __future__ import annotations

import codecs
import re

from timeline.errors import InputError

_CP1252_FAMILY = {"ascii", "cp1252", "latin_1", "iso8859_1", "iso8859_15"}
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # C0/C1 controls but white space


def decode(name: str, data: bytes) -> str:
    """The text of a file's bytes: UTF-8 (BOM or not) or UTF-16 with a BOM when they are that,
    else the legacy encoding charset-normalizer finds (cp1252 when it reads the same, and in
    preference to latin-1). Line endings become "\\n".

    Raises `InputError` ("looks binary") naming `name` for bytes that are not text.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{name}: looks binary, not text (undecodable UTF-16)") from None
    elif b"\x00" in data:
        raise InputError(f"{name}: looks binary, not text (it contains NUL bytes)")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = _decode_legacy(data)
    if _control_ratio(text) > 0.01:
        raise InputError(f"{name}: looks binary, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_legacy(data: bytes) -> str:
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    guess = best.encoding if best is not None else None
    try:
        cp1252 = data.decode("cp1252")
    except UnicodeDecodeError:
        cp1252 = None
    if guess is None or guess in _CP1252_FAMILY:
        return cp1252 if cp1252 is not None else data.decode("latin_1")
    text = str(best)
    # cp1250 and cp1257 read English curly quotes like cp1252 does; only trust the guess
    # when it reads the bytes differently.
    return cp1252 if cp1252 == text else text


def _control_ratio(text: str) -> float:
    return len(_CONTROL_RE.findall(text)) / len(text) if text else 0.0
