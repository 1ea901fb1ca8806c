"""The event categories, stated once: `data/categories.yaml` (name, label, colour, marker
symbol, key mark, description, in matching order) and each language's words for them
(`lang/<code>/categories.yaml`).

    >>> from timeline import categories
    >>> categories.NAMES[:3], categories.colour("border"), categories.symbol("border")
    (('release', 'legal', 'sanctions'), '#999933', 'hourglass')

Read by the extractor (which category an event is), the figures (colours, symbols, lane
order), the dashboard (its key, the table's allowed values) and the synthetic frames.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from timeline.errors import DataError
from timeline.lang import in_use, resource

TABLE = Path(__file__).resolve().parent / "data" / "categories.yaml"
OTHER = "other"
"""The category of an event that no category's words mark."""

_FIELDS = ("label", "colour", "symbol", "mark", "description")
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


@dataclass(frozen=True)
class Category:
    name: str
    label: str
    colour: str
    symbol: str
    mark: str
    description: str
    names_tell: bool = False  # its words count inside a name ("the Nobel Peace Prize")


def _load(path: Path = TABLE) -> tuple[tuple[Category, ...], tuple[str, ...]]:
    """(the categories in matching order, the display order), checked; DataError naming the
    file and the entry when the table is malformed."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise DataError(f"{path}: cannot read the category table ({e})") from None
    table = raw.get("categories") if isinstance(raw, dict) else None
    if not isinstance(table, dict) or not table:
        raise DataError(f"{path}: expected a mapping 'categories' of name to fields")
    out = []
    for name, spec in table.items():
        if not isinstance(spec, dict):
            raise DataError(f"{path}: categories: {name}: expected a mapping of {', '.join(_FIELDS)}")
        missing = [f for f in _FIELDS if not isinstance(spec.get(f), str) or not spec[f]]
        if missing:
            raise DataError(f"{path}: categories: {name}: no {missing[0]}")
        if not _COLOUR.fullmatch(spec["colour"]):
            raise DataError(f"{path}: categories: {name}: colour {spec['colour']!r} is not #RRGGBB")
        names_tell = spec.get("names_tell", False)
        if not isinstance(names_tell, bool):
            raise DataError(f"{path}: categories: {name}: names_tell must be true or false")
        out.append(Category(str(name), *(spec[f] for f in _FIELDS), names_tell=names_tell))
    names = [c.name for c in out]
    if names[-1] != OTHER:
        raise DataError(f"{path}: categories: the last category must be {OTHER!r}")
    order = raw.get("display_order")
    if not isinstance(order, list) or sorted(order) != sorted(names):
        raise DataError(f"{path}: display_order must list every category once")
    return tuple(out), tuple(order)


TABLE_ROWS, DISPLAY_ORDER = _load()
NAMES: tuple[str, ...] = tuple(c.name for c in TABLE_ROWS)
"""Every category, in matching order (the first whose words an event holds wins), `other` last."""
_BY_NAME = {c.name: c for c in TABLE_ROWS}


def get(name: str) -> Category:
    """The category `name`; `other` for a name not in the table."""
    return _BY_NAME.get(name, _BY_NAME[OTHER])


def colour(name: str) -> str:
    """The colour of category `name` (#RRGGBB); the colour of `other` for an unknown name."""
    return get(name).colour


def symbol(name: str) -> str:
    """The plotly marker symbol of category `name` (`other`'s for an unknown name)."""
    return get(name).symbol


def label(name: str) -> str:
    """The display label of category `name`; an unknown name capitalised."""
    return _BY_NAME[name].label if name in _BY_NAME else (name or OTHER).capitalize()


def words(lang: str | None = None) -> dict[str, tuple[str, ...]]:
    """The words that mark each category in language `lang` (default: the language being
    read; English where the language has no categories.yaml), in matching order (categories
    without words, `other` among them, are left out). DataError for a category the table
    does not have."""
    return _words(in_use("categories", lang))


@lru_cache(maxsize=None)
def _words(lang: str) -> dict[str, tuple[str, ...]]:
    res = resource("categories", lang)
    out = {}
    for name in res.data:
        if name not in _BY_NAME:
            raise DataError(f"{res.path}: {name}: not a category of {TABLE}")
        out[name] = res.words(name)
    return {n: out[n] for n in NAMES if n in out}
