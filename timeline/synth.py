"""Synthetic event frames for tests and benchmarks.

`synthetic_frame(n)` builds `n` plausible events that follow the schema of
`timeline.schema` exactly (same columns, same order, same dtypes), without parsing any
article. Its shape mimics a news chronology of the 2025 prisoner release: events from
2010 to 2025, half of them in August and September 2025; 70% day events, 15% month,
15% year; places from a small regional gazetteer, a fifth of them unknown; a few
undated statements. Generation is vectorised: 100,000 rows take well under a second.
"""
from __future__ import annotations

import gc

import numpy as np
import pandas as pd

from timeline import categories, lang
from timeline.schema import COLUMNS, NAMES

# A verb phrase per category of the table: a category missing here fails at the first
# frame built (KeyError naming it), so the synthetic frames always hold every category.
_VERBS: dict[str, str] = {
    "release": "freed political prisoners", "sanctions": "announced new sanctions",
    "diplomacy": "met envoys", "talks": "held talks", "election": "called an election",
    "protest": "led a protest", "military": "moved troops", "legal": "opened a court case",
    "statement": "issued a statement", "award": "received an award",
    "border": "closed a border crossing", "other": "made the news",
}

# (name, ISO country, lat, lon, is a border crossing)
_PLACES: tuple[tuple[str, str, float, float, bool], ...] = (
    ("Minsk", "BY", 53.902, 27.562, False),
    ("Vilnius", "LT", 54.687, 25.280, False),
    ("Warsaw", "PL", 52.230, 21.011, False),
    ("Medininkai", "LT", 54.539, 25.650, True),
    ("Kamenny Log", "BY", 54.520, 25.720, True),
    ("Brest", "BY", 52.109, 23.717, False),
    ("Terespol", "PL", 52.076, 23.616, True),
    ("Grodno", "BY", 53.678, 23.830, False),
    ("Kuznica", "PL", 53.510, 23.644, True),
    ("Bialystok", "PL", 53.133, 23.164, False),
    ("Kaunas", "LT", 54.897, 23.892, False),
    ("Gomel", "BY", 52.434, 30.976, False),
    ("Vitebsk", "BY", 55.191, 30.205, False),
    ("Mogilev", "BY", 53.914, 30.335, False),
    ("Lublin", "PL", 51.246, 22.568, False),
    ("Kyiv", "UA", 50.450, 30.524, False),
    ("Lviv", "UA", 49.842, 24.032, False),
    ("Moscow", "RU", 55.756, 37.617, False),
    ("Smolensk", "RU", 54.782, 32.045, False),
    ("Washington", "US", 38.895, -77.037, False),
)

_ACTORS: tuple[str, ...] = (
    "Alexander Lukashenko", "Sviatlana Tsikhanouskaya", "John Coale",
    "Gitanas Nauseda", "Donald Tusk", "Ales Bialiatski", "the European Union",
    "the US State Department", "Viasna", "the Belarusian KGB", "the OSCE",
    "Lithuania's foreign ministry", "Poland's border guard", "the Kremlin",
)

_SOURCES: tuple[str, ...] = (
    "Reuters", "AP", "LRT", "Belsat", "RFE/RL", "Notes from Poland", "Meduza",
)

_MONTHS = np.array(lang.month_names(), dtype=object)

_DAYS = np.array([str(d) for d in range(1, 32)], dtype=object)

_DTYPES = {c.name: c.dtype for c in COLUMNS}


def synthetic_frame(n: int, seed: int = 0) -> pd.DataFrame:
    """`n` synthetic events following the event schema, reproducible from `seed`.

    Columns and dtypes are those of `timeline.schema.COLUMNS`: dates datetime64[s]
    (NaT when undated), lists as Python lists (each row its own list), offsets Int64.
    About 2% of the rows are undated (`dated` False), 20% have no coordinates.

    Raises ValueError when `n` is negative.
    """
    if n < 0:
        raise ValueError(f"synthetic_frame: n must be >= 0, not {n}")
    # Hundreds of thousands of small lists would trigger many full garbage collections.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(n, seed)
    finally:
        if was_enabled:
            gc.enable()


def _build(n: int, seed: int) -> pd.DataFrame:
    # One generator drawn from in a fixed order (dates, categories, places, actors, text,
    # provenance, confidence): the same seed gives the same frame.
    rng = np.random.default_rng(seed)
    when = _dates(rng, n)
    cat_no = rng.integers(0, len(categories.NAMES), n)
    where = _places(rng, n)
    who = _people(rng, n, where["p_cc"])
    text = _text(rng, n, cat_no, who["actor_no"], where, when)
    columns = {
        "event_id": _ids(f"syn-{seed}-", np.arange(n)),
        "date": when["date"],
        "end": when["end_s"],
        "granularity": when["granularity"],
        "timex": when["timex"],
        "date_text": when["date_text"],
        "dated": when["dated"],
        "title": text["title"],
        "category": np.array(categories.NAMES, dtype=object)[cat_no],
        "actors": who["actors"],
        "places": where["places"],
        "countries": who["countries"],
        "lat": where["lat"],
        "lon": where["lon"],
        "place_inferred": where["place_inferred"],
        "sentence": text["sentence"],
        "start_char": text["start_char"],
        "end_char": text["end_char"],
        **_provenance(rng, n, when),
    }
    columns["confidence"] = np.round(rng.uniform(0.5, 1.0, n), 2)
    frame = pd.DataFrame(columns, columns=list(NAMES))
    for name, dtype in _DTYPES.items():
        if dtype == "list":
            continue
        frame[name] = frame[name].astype(dtype)
    return frame


def _dates(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Dates, granularities and their words; a few undated statements and plans."""
    # Half uniform over 2010-2025, half in the dense weeks of Aug-Sep 2025.
    lo, hi = np.datetime64("2010-01-01", "D"), np.datetime64("2025-12-31", "D")
    dense_lo, dense_hi = np.datetime64("2025-08-01", "D"), np.datetime64("2025-09-30", "D")
    wide = lo + rng.integers(0, (hi - lo).astype(int) + 1, n)
    dense = dense_lo + rng.integers(0, (dense_hi - dense_lo).astype(int) + 1, n)
    day = np.where(rng.random(n) < 0.5, dense, wide).astype("datetime64[D]")

    granularity = rng.choice(np.array(["day", "month", "year"], dtype=object), n, p=[0.70, 0.15, 0.15])
    is_month, is_year = granularity == "month", granularity == "year"
    month_start = day.astype("datetime64[M]")
    year_start = day.astype("datetime64[Y]")
    start = np.where(is_month, month_start.astype("datetime64[D]"),
                     np.where(is_year, year_start.astype("datetime64[D]"), day))
    end = np.where(is_month, (month_start + 1).astype("datetime64[D]") - 1,
                   np.where(is_year, (year_start + 1).astype("datetime64[D]") - 1, day))

    # Vectorised string building on object arrays: numpy's + calls str.__add__ per
    # element, much faster here than pandas' Arrow-backed string arithmetic.
    years = np.datetime_as_string(start.astype("datetime64[Y]")).astype(object)
    months = np.datetime_as_string(start.astype("datetime64[M]")).astype(object)
    iso = np.datetime_as_string(start, unit="D").astype(object)
    timex = np.where(is_month, months, np.where(is_year, years, iso))
    month_name = _MONTHS[start.astype("datetime64[M]").astype(int) % 12]
    day_no = _DAYS[(start - start.astype("datetime64[M]")).astype(int)]
    date_text = np.where(
        is_year, "in " + years,
        np.where(is_month, "in " + month_name + " " + years,
                 "on " + day_no + " " + month_name + " " + years))

    dated = rng.random(n) >= 0.02
    nat = np.datetime64("NaT", "s")
    return {
        "date": np.where(dated, start.astype("datetime64[s]"), nat),
        "end_s": np.where(dated, end.astype("datetime64[s]"), nat),
        "granularity": np.where(dated, granularity, ""),
        "timex": np.where(dated, timex, ""),
        "date_text": np.where(dated, date_text, ""),
        "dated": dated, "end": end, "wide": wide,
    }


def _places(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """A place of the small gazetteer for four rows in five; some crossings inferred."""
    place_no = rng.integers(0, len(_PLACES), n)
    located = rng.random(n) >= 0.20
    p_name = np.array([p[0] for p in _PLACES], dtype=object)[place_no]
    p_crossing = np.array([p[4] for p in _PLACES])[place_no]
    return {
        "located": located, "p_name": p_name,
        "p_cc": np.array([p[1] for p in _PLACES], dtype=object)[place_no],
        "lat": np.where(located, np.array([p[2] for p in _PLACES])[place_no], np.nan),
        "lon": np.where(located, np.array([p[3] for p in _PLACES])[place_no], np.nan),
        "place_inferred": located & p_crossing & (rng.random(n) < 0.5),
        "places": _objects([[p] if ok else [] for p, ok in zip(p_name.tolist(), located.tolist())]),
    }


def _people(rng: np.random.Generator, n: int, p_cc: np.ndarray) -> dict[str, np.ndarray]:
    """One or two actors, and one or two countries (the place's first)."""
    actor_no = rng.integers(0, len(_ACTORS), n)
    actor_a = np.array(_ACTORS, dtype=object)[actor_no]
    actor_b = np.array(_ACTORS, dtype=object)[rng.integers(0, len(_ACTORS), n)]
    two_actors = (rng.random(n) < 0.3) & (actor_a != actor_b)
    second_cc = np.array(["BY", "LT", "PL", "RU", "UA", "US"], dtype=object)[rng.integers(0, 6, n)]
    two_countries = (rng.random(n) < 0.3) & (second_cc != p_cc)
    return {"actor_no": actor_no, "actors": _lists(actor_a, actor_b, two_actors),
            "countries": _lists(p_cc, second_cc, two_countries)}


def _text(rng: np.random.Generator, n: int, cat_no: np.ndarray, actor_no: np.ndarray, where: dict,
          when: dict) -> dict[str, np.ndarray]:
    """Title ('Actor verb in Place') and sentence, with the sentence's offsets."""
    capitalised = np.array([a[0].upper() + a[1:] for a in _ACTORS], dtype=object)
    verb = np.array([_VERBS[c] for c in categories.NAMES], dtype=object)[cat_no]
    title = capitalised[actor_no] + " " + verb + np.where(where["located"], " in " + where["p_name"], "")
    sentence = title + np.where(when["dated"], " " + when["date_text"], "") + "."
    start_char = rng.integers(0, 4000, n)
    end_char = start_char + np.frompyfunc(len, 1, 1)(sentence).astype(np.int64)
    return {"title": title, "sentence": sentence, "start_char": start_char, "end_char": end_char}


def _provenance(rng: np.random.Generator, n: int, when: dict) -> dict[str, np.ndarray]:
    """Article, outlet, publication date (a few days after the event) and sources."""
    article_id = _ids("syn", rng.integers(0, max(1, n // 5), n))
    source_no = rng.integers(0, len(_SOURCES), n)
    slug = np.array([s.lower().replace("/", "").replace(" ", "-") for s in _SOURCES], dtype=object)[source_no]
    lag = rng.integers(0, 4, n).astype("timedelta64[D]")
    published = np.where(when["dated"], (when["end"] + lag).astype("datetime64[s]"),
                         (when["wide"] + lag).astype("datetime64[s]"))
    other_article = _ids("syn", rng.integers(0, max(1, n // 5), n))
    two_sources = (rng.random(n) < 0.15) & (other_article != article_id)
    return {
        "article_id": article_id,
        "source": np.array(_SOURCES, dtype=object)[source_no],
        "published": published,
        "url": "https://example.org/" + slug + "/" + article_id,
        "language": np.full(n, "en", dtype=object),
        "sources": _lists(article_id, other_article, two_sources),
    }


def _ids(prefix: str, numbers: np.ndarray) -> np.ndarray:
    """`prefix` + the number zero-padded to six digits, as an object array."""
    if len(numbers) == 0:
        return np.empty(0, dtype=object)
    return prefix + np.char.zfill(numbers.astype(str), 6).astype(object)


def _lists(first: np.ndarray, second: np.ndarray, both: np.ndarray) -> np.ndarray:
    """Per row a fresh list: [first] or, where `both`, [first, second]."""
    return _objects([[a, b] if two else [a]
                     for a, b, two in zip(first.tolist(), second.tolist(), both.tolist())])


def _objects(items: list) -> np.ndarray:
    """A 1-d object array holding `items` as they are (lists stay lists, even when empty)."""
    out = np.empty(len(items) + 1, dtype=object)
    out[:] = items + [None]  # the ragged extra item stops numpy making a 2-d array
    return out[:-1]
