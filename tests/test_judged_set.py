"""Events an editor would keep, measured on the judged development set (tests/judged/): the
rows timeline makes of twelve news articles, against an editor's labels given without
knowing timeline's rules (see tests/judged/README.md).

Reports the keep rate, usable titles, right categories, dates among kept rows, misses per
article and what confidence >= 0.8 means; each has a floor at the figure measured when the
set was judged (a development set: these are training figures, not held-out ones).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from timeline.parse import parse

JUDGED = Path(__file__).resolve().parent / "judged"

# Floors: the figures of the day the rows were judged (2026-12-06), to be raised as the rows
# improve and never lowered to let a change pass.
FLOORS = {"judged": 0.9, "keep": 0.30, "title": 0.28, "category": 0.68, "date_kept": 0.95,
          "kept_at_0.8": 0.48}
MAX_MISSES_PER_ARTICLE = 1.25


def _when(row) -> str:
    """A row's date as the judge saw it: '2026-02-17 (day)', '2025-01-01 to 2025-12-31 (year)'."""
    if not row["dated"]:
        return "(undated)"
    when = str(row["date"].date())
    if str(row["granularity"]) != "day" and row["end"] != row["date"]:
        when += f" to {row['end'].date()}"
    return f"{when} ({row['granularity']})"


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    """Today's rows of every article, with the columns the labels key on."""
    frames = []
    for path in sorted((JUDGED / "articles").glob("*.txt")):
        frame = parse([path]).frame
        frames.append(pd.DataFrame({
            "file": path.name, "sentence": [" ".join(s.split()) for s in frame["sentence"]],
            "date_text": frame["date_text"].fillna("").astype(str), "when": [_when(r) for _, r in frame.iterrows()],
            "title": frame["title"].astype(str), "category": frame["category"].astype(str),
            "confidence": frame["confidence"].astype(float)}))
    return pd.concat(frames, ignore_index=True)


@dataclass
class Scores:
    rows: int
    judged: float
    keep: float
    title: float
    category: float
    titles_judged: float
    categories_judged: float
    date_kept: float
    kept_at_high: float
    high: int
    misses_per_article: float

    def table(self) -> str:
        return (f"rows {self.rows}, judged {self.judged:.0%}; keep {self.keep:.0%}, titles {self.title:.0%} "
                f"({self.titles_judged:.0%} judged), categories {self.category:.0%} ({self.categories_judged:.0%} "
                f"judged), dates of kept rows {self.date_kept:.0%}, misses per article "
                f"{self.misses_per_article:.2f}, kept at confidence >= 0.8: {self.kept_at_high:.0%} of {self.high}")


def score(rows: pd.DataFrame) -> Scores:
    """The rates of `rows` against the labels (see tests/judged/README.md)."""
    labels = pd.read_csv(JUDGED / "labels.csv", keep_default_na=False, dtype=str)
    keys = ["file", "sentence", "date_text"]
    # a row is the one judged when its sentence, date expression and date are; or, where its
    # date expression grew ("July" -> "July last year"), its sentence and date alone
    seen = labels.drop_duplicates(keys)[keys + ["when", "keep", "date_ok"]]
    mine = rows[keys + ["when", "confidence"]]
    exact = mine.merge(seen, on=keys + ["when"], how="inner")
    same = ["file", "sentence", "when"]
    rest = mine.merge(exact[keys + ["when"]], how="left", indicator=True).query("_merge == 'left_only'")
    alone = seen.drop_duplicates(same, keep=False)[same + ["keep", "date_ok"]]
    grown = rest.drop(columns="_merge").merge(alone, on=same, how="inner")
    judged = pd.concat([exact, grown], ignore_index=True)
    titles = rows.merge(title_labels(labels), how="inner")
    cats = rows.merge(category_labels(labels), how="inner")
    kept = judged[judged["keep"] == "y"]
    dated_kept = kept[kept["date_ok"] != "na"]
    high = judged[judged["confidence"] >= 0.8]
    return Scores(
        rows=len(rows), judged=len(judged) / max(len(rows), 1), keep=len(kept) / max(len(judged), 1),
        title=float((titles["title_ok"] == "y").mean()), category=float((cats["category_ok"] == "y").mean()),
        titles_judged=len(titles) / max(len(rows), 1), categories_judged=len(cats) / max(len(rows), 1),
        date_kept=float((dated_kept["date_ok"] == "y").mean()) if len(dated_kept) else 1.0,
        kept_at_high=float((high["keep"] == "y").mean()) if len(high) else 0.0, high=len(high),
        misses_per_article=misses(rows, labels) / rows["file"].nunique())


def title_labels(labels: pd.DataFrame) -> pd.DataFrame:
    """(file, sentence, title, title_ok): the titles judged with the rows, and those judged
    later, on their own, once changed titles were made (title_labels.csv)."""
    later = pd.read_csv(JUDGED / "title_labels.csv", keep_default_na=False, dtype=str)
    columns = ["file", "sentence", "title", "title_ok"]
    return pd.concat([labels[columns], later[columns]]).drop_duplicates(["file", "sentence", "title"])


def category_labels(labels: pd.DataFrame) -> pd.DataFrame:
    """(file, sentence, category, category_ok): each category the judge saw, and the one the
    judge's note says it should be ("should be talks") as a right one."""
    seen = labels[["file", "sentence", "category", "category_ok"]]
    named = labels["note"].str.extract(r"should be (\w+)", expand=False)
    said = labels.assign(category=named, category_ok="y")[named.notna()][seen.columns]
    return pd.concat([seen, said]).drop_duplicates(["file", "sentence", "category"])


def misses(rows: pd.DataFrame, labels: pd.DataFrame) -> int:
    """Important events with no row of the right date: the judge's misses not found since,
    and the rows the judge kept that are gone."""
    listed = pd.read_csv(JUDGED / "misses.csv", keep_default_na=False, dtype=str)
    keys = ["file", "sentence", "date_text", "when"]
    rejected = labels[labels["keep"] == "n"][keys].assign(rejected=True)
    found = 0
    for _, m in listed.iterrows():
        mine = rows[(rows["file"] == m["file"]) & rows["sentence"].str.contains(m["evidence"], regex=False)
                    & rows["when"].str.startswith(m["date"])]
        # a row the judge rejected is no find; one never judged may be
        found += bool(len(mine.merge(rejected, on=keys, how="left").query("rejected != True")))
    # gone: no row of the sentence gives that date any more (its words may have grown: "July"
    # read now as "July last year" is the same row)
    same = ["file", "sentence", "when"]
    kept = labels[labels["keep"] == "y"][same].drop_duplicates()
    gone = len(kept.merge(rows[same].drop_duplicates(), on=same, how="left", indicator=True)
               .query("_merge == 'left_only'"))
    return len(listed) - found + gone


def test_the_judged_rows_stay_at_or_above_their_floors(rows):
    s = score(rows)
    print(f"\njudged development set (training figures): {s.table()}")
    assert min(s.judged, s.titles_judged, s.categories_judged) >= FLOORS["judged"], \
        "rows, titles or categories the judge never saw: have them judged again (tests/judged/README.md)"
    assert s.keep >= FLOORS["keep"]
    assert s.title >= FLOORS["title"]
    assert s.category >= FLOORS["category"]
    assert s.date_kept >= FLOORS["date_kept"]
    assert s.kept_at_high >= FLOORS["kept_at_0.8"]
    assert s.misses_per_article <= MAX_MISSES_PER_ARTICLE


def test_the_score_follows_the_labels(rows):
    """The scoring itself: every row judged as it was, and dropping the rows judged 'n' keeps
    the same kept rows at a keep rate of one."""
    labels = pd.read_csv(JUDGED / "labels.csv", keep_default_na=False, dtype=str)
    as_judged = labels.assign(confidence=0.5)
    assert score(as_judged).judged == 1.0
    only_kept = as_judged[as_judged["keep"] == "y"]
    s = score(only_kept)
    assert s.keep == 1.0 and s.date_kept == 1.0
