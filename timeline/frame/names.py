"""Names across languages and scripts: one mark for Статкевич, Statkevich, Statkiewicz and
Statkevičius, so that merging can tell that articles in different languages report one
event (`timeline.frame.merge`). The spelling rules are data: `timeline/data/name_sounds.yaml`.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from anyascii import anyascii

from timeline.errors import DataError

SOUNDS = Path(__file__).resolve().parents[1] / "data" / "name_sounds.yaml"

_LETTERS = re.compile(r"[a-z]+")
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _rules() -> tuple[re.Pattern, dict[str, str], frozenset[str], int, int]:
    """(the spellings' pattern, their letters, the vowels, mark length, name length), checked:
    DataError naming the file for an entry of the wrong kind."""
    try:
        data = yaml.safe_load(SOUNDS.read_text(encoding="utf-8"))
        spellings = {str(k): str(v) for k, v in data["spellings"].items()}
        vowels = frozenset(str(data["vowels"]).split())
        mark_length, name_length = int(data["mark_length"]), int(data["name_length"])
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError, ValueError) as e:
        raise DataError(f"{SOUNDS}: not the name spelling table timeline expects ({e})") from None
    if not all(_LETTERS.fullmatch(k) and _LETTERS.fullmatch(v) for k, v in spellings.items()) \
            or not all(len(v) == 1 and v.isalpha() for v in vowels) or mark_length < 2 or name_length < 1:
        raise DataError(f"{SOUNDS}: spellings and vowels must be lower-case ASCII letters, lengths positive")
    pattern = re.compile("|".join(sorted(map(re.escape, spellings), key=len, reverse=True)))
    return pattern, spellings, vowels, mark_length, name_length


def mark(name: str) -> str:
    """The mark of one word of a name ('Статкевич' -> 'stk'), '' when it has too few
    consonants to tell (see name_sounds.yaml)."""
    pattern, spellings, vowels, length, _ = _rules()
    letters = "".join(_LETTERS.findall(anyascii(name).lower()))
    if not letters:
        return ""
    letters = pattern.sub(lambda m: spellings[m.group()], letters)
    out = [letters[0]]
    for ch in letters[1:]:
        if len(out) == length:
            break
        if ch not in vowels and ch != out[-1]:
            out.append(ch)
    return "".join(out) if len(out) == length else ""


def name_marks(title: str, actors: list[str] | tuple[str, ...] = ()) -> frozenset[str]:
    """The marks of the names a title holds (its words written with a capital, of
    `name_length` letters or more: in any language the names, and its first word) and of
    each word of `actors`."""
    min_letters = _rules()[4]
    words = [w for w in _WORD.findall(title) if w[0].isupper() and len(w) >= min_letters]
    words += [w for a in actors for w in _WORD.findall(a) if len(w) >= min_letters]
    return frozenset(filter(None, map(mark, words)))
