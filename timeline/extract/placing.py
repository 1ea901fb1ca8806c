"""The place columns of an event: its places, countries and main point, from the mentions
of its clause (or sentence), the article's main country standing in when none is named."""
from __future__ import annotations

from collections import Counter

from timeline.extract import places as pl

_MAIN_KINDS = (("crossing",), ("city", "settlement", "facility"), ("region",), ("country",))


def home_country(mentions: list[pl.PlaceMention]) -> str:
    """The article's main country: the one its places and demonyms name most ('' if none)."""
    tally = Counter(p.country for p in mentions if p.country and not p.metonym)
    return tally.most_common(1)[0][0] if tally else ""


def main_place(mentions: list[pl.PlaceMention]) -> pl.PlaceMention | None:
    """The mention that places an event: a crossing, else a settlement, a region, a country
    (pinned mentions only, no metonym)."""
    pinned = [p for p in mentions if p.lat is not None and not p.metonym]
    for kinds in _MAIN_KINDS:
        for p in pinned:
            if p.kind in kinds:
                return p
    return None


def placed(mentions: list[pl.PlaceMention], lo: int, hi: int, home: str = "") -> dict:
    """The place columns for the mentions whose offsets lie in [lo, hi). With none there,
    the article's main country `home` stands in, marked as inferred."""
    inside = [p for p in mentions if lo <= p.start < hi or (p.inferred and p.kind == "crossing")]
    main = main_place(inside)
    if main is None and home and not any(p.kind in ("country", "city", "crossing") for p in inside):
        try:
            lat, lon = pl.country_centroid(home)
        except ValueError:  # a code the gazetteer has no settlements for (AN, ...): no pin
            return placed(mentions, lo, hi)
        name = pl.country_name(home)
        return dict(places=[name] + [p.name for p in inside if p.kind != "demonym" and p.name != name],
                    countries=list(dict.fromkeys([home] + [p.country for p in inside if p.country])),
                    lat=lat, lon=lon, place_inferred=True)
    names = [p.name for p in inside if p.kind != "demonym"]
    if main is not None:
        names.insert(0, main.name)  # the main place first, as the schema says
    return dict(
        places=list(dict.fromkeys(names)),
        countries=list(dict.fromkeys(p.country for p in inside if p.country)),
        lat=main.lat if main else float("nan"), lon=main.lon if main else float("nan"),
        place_inferred=bool(main and main.inferred),
    )
