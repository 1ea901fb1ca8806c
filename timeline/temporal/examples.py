"""The examples every rule and rejection carries in `temporal_rules.yaml`, as records.

A positive example is a text, the expression the tagger must find in it (`timex`) and its
TIMEX3 `value`; a negative one is a text and a part of it (`not`) that no expression may
overlap. All are read at the file's one document date (`examples_dct`), as news unless the
example says `genre: narrative` (a history: see `tag`), in the language of the file's folder.
The tests run them all, for every language with rules (tests/test_temporal_examples.py); the
tagger itself never reads them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from timeline import lang
from timeline.errors import DataError
from timeline.temporal.rules import RESOURCE


@dataclass(frozen=True)
class Example:
    """One example: `owner` is 'rule' or 'rejection', `name` its name, `number` its place
    (from 1) among that owner's examples; `timex` and `value` for a positive example, `not_`
    for a negative one."""

    owner: str
    name: str
    number: int
    text: str
    timex: str = ""
    value: str = ""
    not_: str = ""
    genre: str = "news"
    lang: str = lang.DEFAULT

    @property
    def positive(self) -> bool:
        return bool(self.timex)

    def __str__(self) -> str:
        want = f"{self.timex!r} = {self.value}" if self.positive else f"not {self.not_!r}"
        return f"{self.lang}: {self.owner} {self.name!r}, example {self.number}: {self.text!r} -> {want}"


def languages() -> tuple[str, ...]:
    """The codes of the languages that have tagger rules (a lang/<code>/temporal_rules.yaml)."""
    return tuple(code for code in lang.languages() if lang.in_use(RESOURCE, code) == code)


def examples_dct(res: lang.Resource | None = None) -> str:
    """The document date all examples of `res` (the English rules by default) are read at (ISO)."""
    res = res or lang.resource(RESOURCE)
    value = res.raw("examples_dct")
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise DataError(f"{res.path}: examples_dct: expected a date (YYYY-MM-DD), got {value!r}") from None


def examples(res: lang.Resource | None = None, code: str = lang.DEFAULT) -> list[Example]:
    """Every example of every rule and rejection of language `code` (of `res`, when given), in
    file order. Raises DataError naming the rule or rejection and the example when one is
    malformed."""
    res = res or lang.resource(RESOURCE, code)
    out = []
    for owner, key in (("rule", "rules"), ("rejection", "rejections")):
        for entry in res.raw(key, []):
            for i, spec in enumerate(entry.get("examples", []) or [], start=1):
                out.append(_example(res, owner, entry["name"], i, spec, code))
    return out


def _example(res: lang.Resource, owner: str, name: str, number: int, spec, code: str) -> Example:
    where = f"{res.path}: {owner} {name!r}, example {number}"
    if not isinstance(spec, dict) or not isinstance(spec.get("text"), str):
        raise DataError(f"{where}: expected a mapping with a text")
    fields = {k: _text(v) for k, v in spec.items()}
    genre = fields.pop("genre", "news")
    if genre not in ("news", "narrative"):
        raise DataError(f"{where}: genre {genre!r} is not news or narrative")
    if set(fields) == {"text", "timex", "value"}:
        ex = Example(owner, name, number, fields["text"], timex=fields["timex"], value=fields["value"], genre=genre,
                     lang=code)
        part = ex.timex
    elif set(fields) == {"text", "not"}:
        ex = Example(owner, name, number, fields["text"], not_=fields["not"], genre=genre, lang=code)
        part = ex.not_
    else:
        raise DataError(f"{where}: expected text, timex and value, or text and not (and a genre); "
                        f"got {sorted(fields)}")
    if not part or part not in ex.text:
        raise DataError(f"{where}: {part!r} is not in the text {ex.text!r}")
    return ex


def _text(value) -> str:
    """YAML reads 2010 as a number and 2025-09-12 as a date: both stand for their text."""
    return value.isoformat() if isinstance(value, dt.date) else str(value)
