"""geopy geocoders: `OfflineGeocoder` (the gazetteer, no network) and any online service
(Nominatim, ...) behind a rate limiter and an on-disk cache (`get_geocoder`)."""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from geopy.geocoders.base import Geocoder
from geopy.location import Location

from timeline.atomic import atomic_write
from timeline.errors import InputError, TimelineError
from timeline.extract.places.crossings import crossing_for
from timeline.extract.places.fold import fold
from timeline.extract.places.gazetteer import Gazetteer, Place, country_name, default_cache_dir, load_gazetteer


class GeocodingError(TimelineError):
    """An online geocoding service failed (network, quota, refusal)."""


def _address(place: Place) -> str:
    if place.kind == "country" or not place.country:
        return place.name
    if place.kind == "crossing":
        crossing = crossing_for(place.crossing_id)
        if crossing:
            return (f"{place.name} border crossing, "
                    f"{country_name(crossing.country_a)}-{country_name(crossing.country_b)}")
    return f"{place.name}, {country_name(place.country)}"


def _location(place: Place) -> Location:
    raw = {
        "name": place.name, "country": place.country, "kind": place.kind,
        "population": place.population, "source": place.source,
        "lat": place.lat, "lon": place.lon,
    }
    if place.geonameid:
        raw["geonameid"] = place.geonameid
    if place.crossing_id:
        raw["crossing_id"] = place.crossing_id
    return Location(_address(place), (place.lat, place.lon), raw)


class OfflineGeocoder(Geocoder):
    """A geopy geocoder answered from the local gazetteer: no network, no key.

    Knows GeoNames places of 500 people or more (names and alternate names,
    Latin or any other script), countries, continents, the road border
    crossings of `data/crossings.csv` and the places of `data/places.csv`.
    """

    def __init__(self, *, user_agent: str = "timeline") -> None:
        super().__init__(user_agent=user_agent)

    def geocode(self, query, exactly_one=True, *, timeout=None, country_codes=None):
        """Geocode a place name.

        `query`: a name ("Minsk", "Минск", "Medininkai-Kamenny Log"), optionally
        qualified by a country after a comma ("Brest, France"). `country_codes`:
        an ISO code or a list of them to restrict the answer (as Nominatim's).
        Returns a `geopy.location.Location` (or a list of them, best first, when
        `exactly_one` is false), or None when nothing is known by that name. The
        Location's `raw` holds name, country (ISO alpha-2), kind, population,
        source, lat and lon. `timeout` is accepted for interface compatibility.
        """
        if not isinstance(query, str):
            raise InputError(f"Cannot geocode {query!r}: the query must be a place name")
        allowed = None
        if country_codes:
            codes = [country_codes] if isinstance(country_codes, str) else list(country_codes)
            allowed = {c.upper() for c in codes}
        gaz = load_gazetteer()
        places = self._places(gaz, query, allowed)
        if not places:
            return None
        if exactly_one:
            return _location(places[0])
        return [_location(p) for p in places]

    @staticmethod
    def _places(gaz: Gazetteer, query: str, allowed: set[str] | None) -> list[Place]:
        attempts = [(fold(query), allowed)]
        if "," in query:
            head, _, tail = query.rpartition(",")
            qualifier = [p for t, p in gaz.candidates(tail.strip()) if p.kind == "country"]
            if qualifier:
                codes = {qualifier[0].country}
                attempts.insert(0, (fold(head), codes & allowed if allowed else codes))
        for key, codes in attempts:
            for k in (key, key[4:] if key.startswith("the ") else None):
                if not k:
                    continue
                found = [p for _, p in gaz.lookup(k)
                         if p.lat is not None and (codes is None or p.country in codes)]
                if found:
                    return found
        return []


class CachedGeocoder:
    """Any geopy geocoder behind a rate limiter and an on-disk JSON cache.

    `geocoder`: an object with geopy's `geocode(query, exactly_one=..., **kw)`.
    `cache_path`: the JSON file answers are kept in (created on first write);
    "not found" is cached too, failures are not. A cache file that cannot be
    read is started afresh. Service failures raise `GeocodingError`.
    """

    def __init__(self, geocoder, cache_path: str | os.PathLike, *, min_delay_seconds: float = 1.0):
        from geopy.extra.rate_limiter import RateLimiter

        self.geocoder = geocoder
        self.cache_path = Path(cache_path)
        self._call = RateLimiter(geocoder.geocode, min_delay_seconds=min_delay_seconds,
                                 max_retries=2, error_wait_seconds=min_delay_seconds * 5,
                                 swallow_exceptions=False)
        self._lock = threading.Lock()
        try:
            self._cache = json.loads(self.cache_path.read_text(encoding="utf-8"))
            if not isinstance(self._cache, dict):
                self._cache = {}
        except (OSError, ValueError):
            self._cache = {}

    def geocode(self, query, exactly_one=True, **kwargs):
        """Like geopy's `geocode`: a Location, a list of them, or None."""
        from geopy.exc import GeopyError

        key = json.dumps([query, bool(exactly_one), sorted(kwargs.items())], ensure_ascii=False, default=str)
        with self._lock:
            if key in self._cache:
                return self._revive(self._cache[key])
        try:
            answer = self._call(query, exactly_one=exactly_one, **kwargs)
        except GeopyError as e:
            raise GeocodingError(f'Geocoding "{query}" failed: {e}') from e
        stored = self._freeze(answer)
        with self._lock:
            self._cache[key] = stored
            self._save()
        return self._revive(stored)

    @staticmethod
    def _freeze(answer):
        """A geocoder's answer (a Location, a list of them or None) as JSON values."""
        return _each(answer, lambda a: {"address": a.address, "lat": a.latitude, "lon": a.longitude, "raw": a.raw})

    @staticmethod
    def _revive(stored):
        """The answer `_freeze` stored, as Locations again."""
        return _each(stored, lambda s: Location(s["address"], (s["lat"], s["lon"]), s["raw"]))

    def _save(self) -> None:
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)

        def write(tmp: Path) -> None:
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(self._cache, f, ensure_ascii=False, default=str)

        atomic_write(self.cache_path, write)


def _each(answer, convert):
    """`convert` applied to a geocoder's answer: None stays None, each of a list is converted."""
    if answer is None:
        return None
    return [convert(a) for a in answer] if isinstance(answer, list) else convert(answer)


def get_geocoder(name: str = "offline", *, cache_dir: str | os.PathLike | None = None,
                 user_agent: str = "timeline", min_delay_seconds: float = 1.0, **options):
    """A geocoder by name.

    "offline" (the default) gives `OfflineGeocoder`. "nominatim", or any other
    service geopy knows ("photon", "arcgis", ...), gives that service wrapped in
    a `CachedGeocoder`: at most one request per `min_delay_seconds`, answers
    kept in `cache_dir` (default `default_cache_dir()`) as `geocode-NAME.json`.
    `options` go to the service's constructor (an API key, a domain). Building
    one makes no request. Raises InputError (a ValueError) for an unknown name.
    """
    key = (name or "").strip().lower()
    if key == "offline":
        return OfflineGeocoder(user_agent=user_agent)
    from geopy.exc import GeocoderNotFound
    from geopy.geocoders import get_geocoder_for_service

    try:
        service = get_geocoder_for_service(key)
    except GeocoderNotFound:
        raise InputError(f'Unknown geocoder "{name}": use "offline", "nominatim" or another geopy service name') from None
    geocoder = service(user_agent=user_agent, **options)
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    return CachedGeocoder(geocoder, cache / f"geocode-{key}.json", min_delay_seconds=min_delay_seconds)

