"""Rejections: readings a careful reader would not make ("may" the verb, "2020 people"), as data.

`temporal_rules.yaml` lists them after the rules. Each names the rules (by name) or recipes
it applies to, conditions that must all hold (`when`, none: always) and conditions none of
which may hold (`unless`), and its action: `reject` drops the match, `accept` keeps it
without looking further. On a match, the rejections that apply to its rule are tried in file
order and the first that fires decides; a match none decides is kept. Loading checks that
every rule, recipe, group and word list a rejection names exists (DataError otherwise).

Conditions (one key each, see the file's header for examples):
    has: GROUP, lacks: GROUP          the named group matched something, or nothing
    group: GROUP, in: LIST             the group's words (lower case, single spaces, no final
    group: GROUP, not_in: LIST         '.') are in LIST (a list, or a list's name in temporal.yaml),
    group: GROUP, matches: REGEX       or not, or begin with REGEX
    before: REGEX                      the BEFORE characters before the match contain REGEX
    after: REGEX                       the AFTER characters after the match begin with REGEX
    text: REGEX                        the matched text contains REGEX
    before/after: {pattern: REGEX, in: LIST}  ... and the words of REGEX's first group are in LIST
                                                (or `not_in`)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from timeline import lang
from timeline.errors import DataError
from timeline.temporal.lexicon import norm_space, word_list

if TYPE_CHECKING:  # rules.py imports this module
    from timeline.temporal.rules import Rule

# How much text around a match the `before` and `after` conditions see.
BEFORE = 24
AFTER = 40

ACTIONS = ("reject", "accept")
_KEYS = {"name", "action", "rules", "recipes", "when", "unless", "examples"}
_KINDS = ("has", "lacks", "group", "before", "after", "text")


@dataclass(frozen=True)
class Condition:
    """One test on a match: `kind` is one of _KINDS; `words` with `negated` tests membership."""

    kind: str
    group: str | None = None
    regex: re.Pattern | None = None
    words: frozenset[str] | None = None
    negated: bool = False

    def holds(self, g: dict, m: re.Match, before: str, after: str) -> bool:
        kind = self.kind
        if kind == "has":
            return bool(g.get(self.group))
        if kind == "lacks":
            return not g.get(self.group)
        if kind == "group":
            word = norm_space(g.get(self.group) or "").rstrip(".")  # as written, not as `canonical` gives it
            return bool(self.regex.match(word)) if self.regex is not None else self._member(word)
        if kind == "text":
            return self.regex.search(m.group(0)) is not None
        found = self.regex.search(before) if kind == "before" else self.regex.match(after)
        if found is None:
            return False
        return True if self.words is None else self._member(norm_space(found.group(1)))

    def _member(self, word: str) -> bool:
        return (word in self.words) != self.negated


@dataclass(frozen=True)
class Rejection:
    """A named rejection (or early acceptance) and the rules and recipes it applies to."""

    name: str
    action: str
    rules: frozenset[str]
    recipes: frozenset[str]
    when: tuple[Condition, ...]
    unless: tuple[Condition, ...] = ()

    @property
    def accepts(self) -> bool:
        return self.action == "accept"

    def applies_to(self, rule: Rule) -> bool:
        return rule.name in self.rules or rule.recipe in self.recipes

    def fires(self, g: dict, m: re.Match, before: str, after: str) -> bool:
        return (all(c.holds(g, m, before, after) for c in self.when)
                and not any(c.holds(g, m, before, after) for c in self.unless))


def verdict(rule: Rule, m: re.Match, text: str) -> Rejection | None:
    """The first of `rule`'s rejections that fires on its match `m` in `text`, or None."""
    if not rule.rejections:
        return None
    g = m.groupdict()
    before = text[max(0, m.start() - BEFORE):m.start()]
    after = text[m.end():m.end() + AFTER]
    for rejection in rule.rejections:
        if rejection.fires(g, m, before, after):
            return rejection
    return None


def plausible(rule: Rule, m: re.Match, text: str) -> bool:
    """False when a rejection drops the match `m` of `rule` in `text`."""
    decided = verdict(rule, m, text)
    return decided is None or decided.accepts


# ---------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------

def load_rejections(res: lang.Resource, rules: list[Rule]) -> tuple[Rejection, ...]:
    """The rejections of `res`, checked against `rules`: DataError naming the rejection when it
    names a rule, a recipe, a group or a word list that does not exist, or is malformed."""
    entries = res.raw("rejections", [])
    if not isinstance(entries, list):
        raise DataError(f"{res.path}: rejections: expected a list of rejections")
    out: list[Rejection] = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise DataError(f"{res.path}: rejections, entry {i + 1}: expected a mapping with a name")
        rejection = _rejection(res, entry, rules)
        if any(r.name == rejection.name for r in out):
            raise DataError(f"{res.path}: rejection {rejection.name!r}: a second rejection of that name")
        out.append(rejection)
    return tuple(out)


def _rejection(res: lang.Resource, entry: dict, rules: list[Rule]) -> Rejection:
    where = f"{res.path}: rejection {entry['name']!r}"
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise DataError(f"{where}: unknown key {unknown[0]!r} (expected {', '.join(sorted(_KEYS))})")
    if entry.get("action") not in ACTIONS:
        raise DataError(f"{where}: action: expected reject or accept, got {entry.get('action')!r}")
    names, recipes = _names(where, entry, "rules"), _names(where, entry, "recipes")
    if not names and not recipes:
        raise DataError(f"{where}: names no rules and no recipes to apply to")
    known = {r.name for r in rules}
    missing = sorted(names - known)
    if missing:
        raise DataError(f"{where}: no rule {missing[0]!r} (was it renamed?)")
    unused = sorted(recipes - {r.recipe for r in rules})
    if unused:
        raise DataError(f"{where}: no rule uses the recipe {unused[0]!r}")
    targets = [r for r in rules if r.name in names or r.recipe in recipes]
    groups = set().union(*(r.regex.groupindex for r in targets))
    when = _conditions(res, where, entry.get("when", []), "when", groups)
    unless = _conditions(res, where, entry.get("unless", []), "unless", groups)
    if not when and not unless:
        raise DataError(f"{where}: no conditions (`when`, `unless`)")
    return Rejection(entry["name"], entry["action"], frozenset(names), frozenset(recipes), when, unless)


def _names(where: str, entry: dict, key: str) -> set[str]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise DataError(f"{where}: {key}: expected a list of names")
    return set(value)


def _conditions(res: lang.Resource, where: str, value: Any, key: str, groups: set[str]) -> tuple[Condition, ...]:
    if not isinstance(value, list):
        raise DataError(f"{where}: {key}: expected a list of conditions")
    return tuple(_condition(res, f"{where}: {key}, condition {i + 1}", c, groups) for i, c in enumerate(value))


def _condition(res: lang.Resource, where: str, spec: Any, groups: set[str]) -> Condition:
    kinds = [k for k in _KINDS if isinstance(spec, dict) and k in spec]
    if len(kinds) != 1:
        raise DataError(f"{where}: expected one of {', '.join(_KINDS)}, got {spec!r}")
    kind = kinds[0]
    if kind in ("has", "lacks", "group"):
        _check_group(where, spec[kind], groups)
    if kind in ("has", "lacks"):
        _check_keys(where, spec, {kind})
        return Condition(kind, group=spec[kind])
    if kind == "group":
        return _group_condition(res, where, spec)
    _check_keys(where, spec, {kind})
    body = spec[kind]
    if isinstance(body, str):
        return Condition(kind, regex=re.compile(res.check_pattern(body, f"{where}: {kind}")))
    if not isinstance(body, dict) or kind == "text":
        raise DataError(f"{where}: {kind}: expected a regular expression{'' if kind == 'text' else ' or {pattern, in}'}")
    _check_keys(where, body, {"pattern", "in", "not_in"})
    regex = re.compile(res.check_pattern(body.get("pattern"), f"{where}: {kind}: pattern"))
    if regex.groups < 1:
        raise DataError(f"{where}: {kind}: pattern: needs a group (the words to look up)")
    words, negated = _membership(where, body)
    return Condition(kind, regex=regex, words=words, negated=negated)


def _group_condition(res: lang.Resource, where: str, spec: dict) -> Condition:
    _check_keys(where, spec, {"group", "in", "not_in", "matches"})
    if "matches" in spec:
        if "in" in spec or "not_in" in spec:
            raise DataError(f"{where}: give `matches` or a word list, not both")
        return Condition("group", group=spec["group"],
                         regex=re.compile(res.check_pattern(spec["matches"], f"{where}: matches")))
    words, negated = _membership(where, spec)
    return Condition("group", group=spec["group"], words=words, negated=negated)


def _membership(where: str, spec: dict) -> tuple[frozenset[str], bool]:
    """The word list of `in:` or `not_in:` (a list, or the name of one) and whether negated."""
    keys = [k for k in ("in", "not_in") if k in spec]
    if len(keys) != 1:
        raise DataError(f"{where}: expected one word list, `in` or `not_in`")
    value = spec[keys[0]]
    if isinstance(value, str):
        try:
            return word_list(value), keys[0] == "not_in"
        except DataError as e:
            raise DataError(f"{where}: {e}") from None
    if not isinstance(value, list) or not value or not all(isinstance(w, str) and w.strip() for w in value):
        raise DataError(f"{where}: {keys[0]}: expected a list of words or the name of one")
    return frozenset(norm_space(w) for w in value), keys[0] == "not_in"


def _check_group(where: str, group: Any, groups: set[str]) -> None:
    if not isinstance(group, str) or group not in groups:
        raise DataError(f"{where}: no group {group!r} in the rules it applies to "
                        f"(groups: {', '.join(sorted(groups))})")


def _check_keys(where: str, spec: dict, allowed: set[str]) -> None:
    extra = sorted(set(spec) - allowed)
    if extra:
        raise DataError(f"{where}: unknown key {extra[0]!r} here")
