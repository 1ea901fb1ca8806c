"""Every pass over text is linear in its length: a battery of hostile runs at two sizes.

Each case is a run of one thing (a punctuation mark, a kind of white space, an abbreviation,
a capitalised word, a month, a digit group, a Markdown mark, a quote, a date) inside an
ordinary dated article. Each stage (reading it as .txt and as .md, the tagger, the sentence
splitter, the event extractor) reads it at a size where it takes tens of milliseconds and at
four times that size; a linear stage costs about 4x, a quadratic one 16x. The test asserts at
most `MAX_RATIO`: a complexity check, not a timing goal (both sizes are measured in one
process, in CPU time, best of a few runs). Speed goals live in benchmarks/bench_parse.py.
"""
from __future__ import annotations

import gc
import time
from dataclasses import dataclass
from typing import Callable

import pytest

from timeline.extract import extract_events
from timeline.read import article_from_text, read_bytes, sentences
from timeline.temporal import tag

GROWTH = 4
"""The larger input is this many times the smaller one."""

MAX_RATIO = 6.0
"""A linear stage costs about GROWTH (4x) more on the larger input; a quadratic one 16x."""

MIN_SECONDS = 0.01
"""The smaller input grows until a stage takes at least this much CPU time on it, so that
noise does not decide the ratio..."""

MAX_CHARS = 2_000_000
"""...or until the larger one would be longer than this: a stage still faster than
MIN_SECONDS there grows too little to measure."""

PUBLISHED = "2025-05-13"
HEAD = "Police hold protesters after a march\n\nOn May 12, 2025 police arrested"
TAIL = " them in Minsk. The ministry said on Tuesday that 12 people were held.\n"


@dataclass(frozen=True)
class Case:
    """A hostile input: `make(n)` is an article with a run of `n` units."""

    name: str
    make: Callable[[int], str]


def run(unit: str) -> Callable[[int], str]:
    """A run of `unit` glued into the dated sentence of an ordinary article."""
    return lambda n: HEAD + unit * n + TAIL


def spaced(unit: str) -> Callable[[int], str]:
    """A run of `unit` set apart by spaces in the dated sentence."""
    return lambda n: HEAD + " " + unit * n + " " + TAIL


def lines(line: str) -> Callable[[int], str]:
    """An article of `n` copies of a line."""
    return lambda n: HEAD + TAIL + "\n" + line * n


DAYS = [f"{month} {day}, {year}" for year in range(1600, 2100) for month in ("May", "June", "July")
        for day in range(1, 29)]


def distinct_dates(n: int) -> str:
    """One sentence naming `n` different days."""
    return HEAD + " on " + ", ".join(DAYS[i % len(DAYS)] for i in range(n)) + TAIL


def speakers_and_dates(n: int) -> str:
    """One sentence of `n` different people who said something on `n` different days."""
    return HEAD + " " + " ".join(f"Mr. Aide{i} Smith{i}, who said on {DAYS[i % len(DAYS)]} that" for i in range(n)) + TAIL


CASES = [
    # punctuation, glued to the words around it ("arrested.....them")
    *(Case(name, run(unit)) for name, unit in [
        ("full stops", "."), ("exclamation marks", "!"), ("question marks", "?"), ("question-stops", "?."),
        ("commas", ","), ("semicolons", ";"), ("colons", ":"), ("hyphens", "-"), ("double hyphens", "--"),
        ("em dashes", "\u2014"), ("en dashes", "\u2013"), ("parentheses", "("), ("closing brackets", ")]"),
    ]),
    Case("spaced full stops", run(". ")),
    Case("spaced exclamations", run("! ")),
    # white space: the issue's poison is "tabs" (6,000 of them: 62 s of CPU before the fix)
    *(Case(name, run(unit)) for name, unit in [
        ("spaces", " "), ("tabs", "\t"), ("newlines", "\n"), ("blank lines", "\n\n"),
        ("non-breaking spaces", "\u00a0"), ("mixed white space", " \t\u00a0"), ("space and newline", " \n"),
    ]),
    # abbreviations, words, names
    *(Case(name, spaced(unit)) for name, unit in [
        ("U.S. abbreviations", "U.S. "), ("Mr. abbreviations", "Mr. "), ("Sept. abbreviations", "Sept. "),
        ("initials", "A. "), ("capitalised words", "Police "), ("full names", "John Smith "),
        ("month names", "May "), ("weekdays", "Monday "), ("speech verbs", "said "), ("articles", "the "),
        ("compound adjectives", "NATO-led "), ("event nouns", "the bombing "),
        ("anchors", "a day after the attack "), ("names after naming", "called Amber Shield "),
    ]),
    # numbers and dates
    *(Case(name, spaced(unit)) for name, unit in [
        ("digit groups", "123 "), ("thousands", "1,000 "), ("years", "2025 "), ("numeric dates", "12/05/2025 "),
        ("the same date", "May 12, 2025 "), ("durations", "two weeks ago "),
    ]),
    Case("different dates", distinct_dates),
    Case("different speakers and dates", speakers_and_dates),
    # each date's clause grows until it reaches CLAUSE_REACH either side (a hundred dates)
    Case("different dates without a break", lambda n: HEAD + " on " + " ".join(DAYS[i % len(DAYS)].replace(",", "")
                                                                               for i in range(n + 100)) + TAIL),
    Case("anchors and dates", spaced("a day after the attack on May 3, 2025, ")),
    Case("dated sentences", lines("On May 12, 2025 police arrested them, the ministry said. ")),
    Case("dated paragraphs", lines("On May 12, 2025 police arrested them.\n\nOfficials said so.\n\n")),
    Case("undated statements", lines("Officials said the talks would go on. ")),
    Case("footer lines", lines("Updated: 18 November 2025\n")),
    Case("dateline lines", lines("VILNIUS, Sept 11 (Reuters) - Talks began.\n")),
    # Markdown marks
    *(Case(name, run(unit)) for name, unit in [
        ("strong marks", "**a "), ("emphasis marks", "*a "), ("underscore marks", "_a "), ("asterisks", "*"),
        ("underscores", "_"), ("hashes", "#"), ("quote marks", ">"), ("opening brackets", "["),
        ("link middles", "]("), ("unclosed links", "[a]("), ("image openers", "!["), ("backticks", "`"),
        ("code spans", "`a "),
    ]),
    Case("heading with a long tail", lambda n: "# Police" + " " * n + "x\n\n" + HEAD + TAIL),
    Case("heading lines", lines("## A heading ##\n")),
    Case("rule lines", lines("- - - - x\n")),
    Case("a long rule line", lambda n: "- " * n + "x\n\n" + HEAD + TAIL),
    Case("a long blank line", lambda n: HEAD + "\n" + " " * n + "\n" + TAIL),
    # quotes
    *(Case(name, run(unit)) for name, unit in [
        ("straight double quotes", '"'), ("straight single quotes", "'"), ("curly opening quotes", "\u201c"),
        ("curly closing quotes", "\u201d"), ("curly apostrophes", "\u2019"), ("double backticks", "``"),
    ]),
]


def _reads_txt(text: str) -> Callable[[], object]:
    data = text.encode("utf-8")
    return lambda: read_bytes("hostile.txt", data, max_bytes=None)


def _reads_md(text: str) -> Callable[[], object]:
    data = text.encode("utf-8")
    return lambda: read_bytes("hostile.md", data, max_bytes=None)


def _tags(text: str) -> Callable[[], object]:
    return lambda: tag(text, PUBLISHED)


def _splits(text: str) -> Callable[[], object]:
    return lambda: sentences.split(text)


def _extracts(text: str) -> Callable[[], object]:
    article = article_from_text(text, published=PUBLISHED)
    return lambda: extract_events(article)


STAGES = {"read .txt": _reads_txt, "read .md": _reads_md, "tag": _tags, "split": _splits, "events": _extracts}


def cpu_seconds(work: Callable[[], object], repeats: int = 1) -> float:
    """The least CPU time of `repeats` runs of `work` (garbage collection held off)."""
    best = float("inf")
    gc.disable()
    try:
        for _ in range(repeats):
            started = time.process_time()
            work()
            best = min(best, time.process_time() - started)
    finally:
        gc.enable()
    return best


def growth(stage: Callable[[str], Callable[[], object]], make: Callable[[int], str],
           repeats: int = 1, least: float = MIN_SECONDS) -> tuple[float, int, float]:
    """(the cost of `stage` at GROWTH*n units over its cost at n, n, the cost at n): n is
    the first of 16, 32, 64, ... units where the stage takes `least` seconds, or the last
    before the larger input would pass MAX_CHARS. Each cost is the best of `repeats` + 1 runs."""
    n = 16
    small = cpu_seconds(stage(make(n)))
    while small < least and len(make(2 * GROWTH * n)) <= MAX_CHARS:
        n *= 2
        small = cpu_seconds(stage(make(n)))
    small = min(small, cpu_seconds(stage(make(n)), repeats))
    large = cpu_seconds(stage(make(GROWTH * n)), repeats)
    return large / max(small, 1e-6), n, small


def test_extract_and_read_warm_up():
    # the first parse loads the rules and the gazetteer: not a cost of any case below
    extract_events(article_from_text(HEAD + TAIL, published=PUBLISHED))
    assert read_bytes("warm.md", (HEAD + TAIL).encode())


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_stage_is_linear_in_a_run_of_one_thing(case, stage):
    ratio, n, small = growth(STAGES[stage], case.make)
    if ratio > MAX_RATIO:  # measured again, longer and more often, before it counts
        ratio, n, small = growth(STAGES[stage], case.make, repeats=3, least=3 * MIN_SECONDS)
    assert ratio <= MAX_RATIO or small < MIN_SECONDS / 4, (
        f"{stage} on {case.name}: {GROWTH}x the input ({n} -> {GROWTH * n} units) costs {ratio:.1f}x "
        f"({small * 1000:.0f} ms at {n})")


def test_there_are_at_least_forty_hostile_runs():
    assert len(CASES) >= 40 and len({c.name for c in CASES}) == len(CASES)


def test_the_issue_poison_costs_no_more_than_ordinary_prose_of_its_size():
    # "On May 12, 2025 police arrested" + 6,000 tabs + " them.": 62 s of CPU before the fix
    poison = "On May 12, 2025 police arrested" + "\t" * 6000 + " them."
    ordinary = ("On May 12, 2025 police arrested 12 protesters in Minsk, the ministry said. " * 80)[:len(poison)]
    cost = cpu_seconds(_extracts(poison), 3)
    assert cost <= 2 * cpu_seconds(_extracts(ordinary), 3) + 0.005
