"""The tagger's rules: `lang/<code>/temporal_rules.yaml`, read, compiled and checked once.

A rule is a named pattern (macros in braces, see `patterns.py`) and the recipe that turns
what it matched into TIMEX3 values. Everything is checked as it is loaded: each pattern
compiles, each macro and recipe exists, names are unique, and each rejection names rules
and recipes that exist (see `rejections.py`), so that renaming a rule cannot silently turn
a rejection off. Errors are DataError naming the file and the rule.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from timeline import lang
from timeline.errors import DataError
from timeline.temporal import patterns, scanning
from timeline.temporal.lexicon import WORD, current, lexicon, per_language
from timeline.temporal.recipes import RECIPES
from timeline.temporal.rejections import Rejection, load_rejections

RESOURCE = "temporal_rules"
_KEYS = {"name", "pattern", "recipe", "needs", "examples"}


@dataclass(frozen=True)
class Rule:
    """A compiled rule. `needs`: lower-case words ('0'..'9' for digits) at least one of which a
    text must hold for the rule to be tried (empty: always tried). `rejections`: those that
    apply to it, in file order. `finder`: finds where its next match starts, fast (see
    `scanning`), None for a rule scanned the plain way."""

    index: int
    name: str
    recipe: str
    regex: re.Pattern
    needs: frozenset[str]
    rejections: tuple[Rejection, ...] = ()
    finder: re.Pattern | None = None


@per_language
def rules() -> tuple[Rule, ...]:
    """The rules of the language being read (`lexicon.LANGUAGE`), read once, in file order
    (the order breaks ties between matches)."""
    return load_rules(lang.resource(RESOURCE, current()))


def load_rules(res: lang.Resource) -> tuple[Rule, ...]:
    """The rules and rejections of the resource `res`, compiled. Raises DataError naming the
    file and the rule or rejection at fault."""
    entries = res.raw("rules")
    if not isinstance(entries, list) or not entries:
        raise DataError(f"{res.path}: rules: expected a list of rules")
    macros = patterns.macros(lexicon())
    loaded = [_rule(res, i, entry, macros) for i, entry in enumerate(entries)]
    seen: set[str] = set()
    for rule in loaded:
        if rule.name in seen:
            raise DataError(f"{res.path}: rule {rule.name!r}: a second rule of that name")
        seen.add(rule.name)
    rejections = load_rejections(res, loaded)
    return tuple(dataclasses.replace(rule, rejections=tuple(r for r in rejections if r.applies_to(rule)))
                 for rule in loaded)


def _rule(res: lang.Resource, index: int, entry, macros: dict[str, str]) -> Rule:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise DataError(f"{res.path}: rules, entry {index + 1}: expected a mapping with a name")
    where = f"rule {entry['name']!r}"
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise DataError(f"{res.path}: {where}: unknown key {unknown[0]!r} (expected {', '.join(sorted(_KEYS))})")
    recipe = entry.get("recipe")
    if recipe not in RECIPES:
        raise DataError(f"{res.path}: {where}: no recipe {recipe!r} (recipes: {', '.join(sorted(RECIPES))})")
    source = res.check_pattern(entry.get("pattern"), f"{where}: pattern")
    missing = sorted(set(re.findall(r"\{([A-Z][A-Z0-9]*)\}", source)) - set(macros))
    if missing:
        raise DataError(f"{res.path}: {where}: no macro {{{missing[0]}}} (macros: {', '.join(sorted(macros))})")
    pattern = re.sub(r"\{([A-Z][A-Z0-9]*)\}", lambda m: macros[m.group(1)], source).replace(" ", r"\s+")
    regex = re.compile(res.check_pattern(patterns.LEFT + "(?:" + pattern + ")" + patterns.RIGHT, where), re.I)
    needs = entry.get("needs", [])
    if not isinstance(needs, list) or not all(isinstance(n, str) and n for n in needs):
        raise DataError(f"{res.path}: {where}: needs: expected a list of words or list names")
    return Rule(index, entry["name"], recipe, regex, _needs(needs), finder=scanning.finder(regex, patterns.LEFT))


def _needs(names: list[str]) -> frozenset[str]:
    """The words a rule needs: 'digits' is any digit, a lexicon table's name all its words."""
    lx = lexicon()
    tables = {"months": lx.months, "weekdays": lx.weekdays, "seasons": lx.seasons, "sets": lx.sets,
              "refs": lx.refs, "holidays": lx.holidays, "decade_names": lx.decade_names,
              "units": patterns.unit_forms(lx)}
    words: set[str] = set()
    for name in names:
        if name == "digits":
            words.update("0123456789")
        elif name in tables:
            for key in tables[name]:
                words.update(WORD.findall(key.lower()))
        else:
            words.add(name.lower())
    return frozenset(words)
