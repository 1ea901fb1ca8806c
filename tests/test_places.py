"""Places: finding toponyms, demonyms and metonyms, and geocoding them offline."""
from __future__ import annotations

import math
import statistics
import time
from pathlib import Path

import pytest
from geopy.exc import GeocoderServiceError
from geopy.geocoders import Nominatim
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.extract import places
from timeline.extract.places import gazetteer
from timeline.errors import InputError, TimelineError
from timeline.extract.places import (
    CROSSINGS,
    CachedGeocoder,
    GeocodingError,
    OfflineGeocoder,
    PlaceMention,
    border_place,
    country_centroid,
    country_name,
    crossing_for,
    find_places,
    fold,
    get_geocoder,
)

SEED = next((Path(__file__).parent.parent / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def geocoder() -> OfflineGeocoder:
    places.load_gazetteer()
    return get_geocoder()


def km(lat1, lon1, lat2, lon2) -> float:
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371 * math.hypot(x, math.radians(lat2 - lat1))


def only(mentions: list[PlaceMention], text: str) -> PlaceMention:
    found = [m for m in mentions if m.text == text]
    assert len(found) == 1, f"expected one mention {text!r}, got {mentions}"
    return found[0]


# --- geocoding: the traps -----------------------------------------------------

def test_minsk_is_the_belarusian_capital_not_minsk_mazowiecki(geocoder):
    loc = geocoder.geocode("Minsk")
    assert loc.raw["country"] == "BY" and loc.raw["kind"] == "city"
    assert loc.latitude == pytest.approx(53.90, abs=0.01)
    assert loc.longitude == pytest.approx(27.56, abs=0.01)
    # the trap is real: Mińsk Mazowiecki answers to "Minsk" too, ranked after
    countries = [l.raw["country"] for l in geocoder.geocode("Minsk", exactly_one=False)]
    assert countries[0] == "BY" and "PL" in countries


def test_medininkai_is_the_lithuanian_border_village_not_varniai(geocoder):
    loc = geocoder.geocode("Medininkai")
    assert loc.raw["country"] == "LT" and loc.raw["name"] == "Medininkai"
    assert km(loc.latitude, loc.longitude, 54.54, 25.65) < 3
    # GeoNames lists "Medininkai" among Varniai's alternate names; it must never win
    names = [l.raw["name"] for l in geocoder.geocode("Medininkai", exactly_one=False)]
    assert names[0] == "Medininkai" and "Varniai" not in names[:1]


@pytest.mark.parametrize("query, country, lat, lon", [
    ("Vilnius", "LT", 54.687, 25.280),
    ("Warsaw", "PL", 52.230, 21.011),
    ("Minsk", "BY", 53.902, 27.562),
    ("Brest", "BY", 52.109, 23.717),
    ("Terespol", "PL", 52.076, 23.616),
    ("Šalčininkai", "LT", 54.309, 25.387),
    ("salcininkai", "LT", 54.309, 25.387),
    ("Benyakoni", "BY", 54.251, 25.357),
    ("Bruzgi", "BY", 53.555, 23.682),
    ("Privalka", "BY", 53.946, 23.921),
    ("Grodno", "BY", 53.676, 23.829),  # GeoNames' alternate name of Hrodna
    # curated names outrank bigger namesakes: a Moscow district, a Polish town
    ("Kotlovka", "BY", 54.719, 25.746),
    ("Ostrovets", "BY", 54.614, 25.955),
])
def test_capitals_and_border_towns_geocode_to_field_notes_coordinates(geocoder, query, country, lat, lon):
    loc = geocoder.geocode(query)
    assert loc.raw["country"] == country
    assert km(loc.latitude, loc.longitude, lat, lon) < 1.5


def test_a_cyrillic_name_finds_the_city_through_geonames_alternate_names(geocoder):
    loc = geocoder.geocode("Минск")
    assert loc.raw["name"] == "Minsk" and loc.raw["country"] == "BY"


def test_folding_strips_latin_accents_but_never_turns_cyrillic_into_ascii():
    assert fold("Šalčininkai") == "salcininkai"
    assert fold("Kuźnica") == fold("Kuznica") == "kuznica"
    assert fold("Łódź") == "lodz"
    assert fold("Минск") == "минск"
    assert fold("Каменный Лог") == "каменный лог"
    assert fold("й") == "й"  # the breve is part of the Cyrillic letter


def test_a_country_after_a_comma_chooses_between_namesakes(geocoder):
    assert geocoder.geocode("Brest").raw["country"] == "BY"
    assert geocoder.geocode("Brest, France").raw["country"] == "FR"
    assert geocoder.geocode("Warsaw", country_codes="US").raw["country"] == "US"


def test_an_unknown_place_geocodes_to_none(geocoder):
    assert geocoder.geocode("Nowhereville-on-Sea") is None
    assert geocoder.geocode("Nowhereville-on-Sea", exactly_one=False) is None


def test_the_offline_geocoder_speaks_geopy(geocoder):
    assert isinstance(geocoder, Geocoder)
    loc = geocoder.geocode("Vilnius")
    assert isinstance(loc, Location)
    assert loc.address == "Vilnius, Lithuania"
    assert {"name", "country", "kind", "population", "source"} <= set(loc.raw)
    assert loc.raw["population"] > 500_000 and loc.raw["source"] == "GeoNames"
    many = geocoder.geocode("Warsaw", exactly_one=False)
    assert all(isinstance(l, Location) for l in many) and many[0].raw["country"] == "PL"
    assert len(many) > 1


def test_crossings_and_countries_geocode_too(geocoder):
    crossing = geocoder.geocode("Medininkai-Kamenny Log")
    assert crossing.raw["kind"] == "crossing" and crossing.raw["crossing_id"] == "medininkai-kamenny-log"
    country = geocoder.geocode("Belarus")
    assert country.raw["kind"] == "country" and country.raw["country"] == "BY"
    assert 51.2 < country.latitude < 56.2 and 23.2 < country.longitude < 32.8


def test_geocoding_a_non_string_says_what_was_wrong(geocoder):
    with pytest.raises(InputError, match="place name"):
        geocoder.geocode(42)


# --- choosing a geocoder ----------------------------------------------------

def test_an_unknown_geocoder_name_is_a_value_error_naming_it():
    with pytest.raises(ValueError, match='"bogus"'):
        get_geocoder("bogus")
    with pytest.raises(TimelineError):
        get_geocoder("bogus")


def test_nominatim_is_built_without_touching_the_network(tmp_path):
    geo = get_geocoder("nominatim", cache_dir=tmp_path, user_agent="timeline-tests")
    assert isinstance(geo, CachedGeocoder)
    assert isinstance(geo.geocoder, Nominatim)
    assert geo.geocoder.headers["User-Agent"] == "timeline-tests"
    assert geo.cache_path == tmp_path / "geocode-nominatim.json"
    assert not geo.cache_path.exists()  # nothing asked, nothing written


class FakeService:
    """Stands in for Nominatim: counts calls, answers from a dict."""

    def __init__(self, answers=None, error=None):
        self.answers = answers or {}
        self.error = error
        self.calls = []

    def geocode(self, query, exactly_one=True, **kwargs):
        self.calls.append(query)
        if self.error:
            raise self.error
        if query not in self.answers:
            return None
        return Location(query, self.answers[query], {"place_id": 1})


def test_cached_geocoder_asks_the_service_once_and_remembers_on_disk(tmp_path):
    service = FakeService({"Vilnius": (54.687, 25.28)})
    cache = tmp_path / "geo.json"
    geo = CachedGeocoder(service, cache, min_delay_seconds=0)
    first = geo.geocode("Vilnius")
    again = geo.geocode("Vilnius")
    assert service.calls == ["Vilnius"]
    assert (first.latitude, again.longitude) == (54.687, 25.28)
    assert geo.geocode("Atlantis") is None and geo.geocode("Atlantis") is None
    assert service.calls == ["Vilnius", "Atlantis"]  # "not found" is remembered too

    later = FakeService()
    reborn = CachedGeocoder(later, cache, min_delay_seconds=0).geocode("Vilnius")
    assert later.calls == [] and reborn.raw == {"place_id": 1}


def test_cached_geocoder_reports_service_failures_and_does_not_remember_them(tmp_path):
    geo = CachedGeocoder(FakeService(error=GeocoderServiceError("down")), tmp_path / "g.json",
                         min_delay_seconds=0)
    with pytest.raises(GeocodingError, match="Vilnius"):
        geo.geocode("Vilnius")
    assert not (tmp_path / "g.json").exists()


def test_a_corrupt_cache_file_is_started_afresh(tmp_path):
    cache = tmp_path / "g.json"
    cache.write_text("{not json")
    service = FakeService({"Minsk": (53.9, 27.56)})
    assert CachedGeocoder(service, cache, min_delay_seconds=0).geocode("Minsk").latitude == 53.9
    assert service.calls == ["Minsk"]


# --- crossings and countries --------------------------------------------------

def test_the_eight_crossings_load_and_answer_to_any_alias():
    assert len(CROSSINGS) == 8
    assert {c.border for c in CROSSINGS} == {"BY-LT", "BY-PL"}
    salc = crossing_for("Salcininkai-Benyakoni")
    assert crossing_for("Šalčininkai") is salc is crossing_for("BENYAKONI") is crossing_for("beniakoni")
    assert crossing_for("Kamenny Log").crossing_id == "medininkai-kamenny-log"
    assert crossing_for("Domachevo").crossing_id == "slawatycze-domachevo"
    assert crossing_for("Atlantis") is None


@pytest.mark.parametrize("settlement, lat, lon", [
    ("Medininkai", 54.539, 25.650), ("Salcininkai", 54.309, 25.387), ("Benyakoni", 54.251, 25.357),
    ("Lavoriskes", 54.706, 25.643), ("Kotlovka", 54.719, 25.746), ("Privalka", 53.946, 23.921),
    ("Terespol", 52.076, 23.616), ("Brest", 52.109, 23.717), ("Kuznica", 53.510, 23.644),
    ("Bruzgi", 53.555, 23.682), ("Vyalikaya Byerastavitsa", 53.196, 24.020),
    ("Slawatycze", 51.763, 23.555), ("Damachava", 51.744, 23.605),
])
def test_crossing_settlements_match_the_verified_field_notes(settlement, lat, lon):
    crossing = crossing_for(settlement)
    side = "a" if crossing.settlement_a == settlement else "b"
    assert getattr(crossing, f"lat_{side}") == pytest.approx(lat, abs=0.002)
    assert getattr(crossing, f"lon_{side}") == pytest.approx(lon, abs=0.002)


def test_the_two_sides_of_every_crossing_are_near_each_other_and_belarus_is_east():
    for c in CROSSINGS:
        assert km(c.lat_a, c.lon_a, c.lat_b, c.lon_b) < 15, c.name
        assert c.source, c.name
    mk = crossing_for("Medininkai")
    # Belarus lies east of Medininkai; the Belarusian checkpoint cannot be west of the village
    assert mk.lon_b > mk.lon_a


def test_country_names_and_centres():
    assert country_name("BY") == "Belarus"
    assert country_name("lt") == "Lithuania"
    lat, lon = country_centroid("BY")
    assert 51.2 < lat < 56.2 and 23.2 < lon < 32.8
    lat, lon = country_centroid("LT")
    assert 53.9 < lat < 56.5 and 21.0 < lon < 26.9
    with pytest.raises(InputError, match='"XX"'):
        country_name("XX")
    with pytest.raises(InputError, match='"XX"'):
        country_centroid("XX")


# --- finding places in text -------------------------------------------------

@pytest.mark.parametrize("word, country", [
    ("Belarusian", "BY"), ("Lithuanian", "LT"), ("Polish", "PL"), ("Russian", "RU"),
    ("Ukrainian", "UA"), ("American", "US"), ("Belarusians", "BY"), ("British", "GB"),
])
def test_demonyms_name_a_country_without_a_pin(word, country):
    mention = only(find_places(f"The {word} delegation arrived on Thursday."), word)
    assert (mention.kind, mention.country) == ("demonym", country)
    assert mention.lat is None and mention.lon is None and not mention.metonym


def test_latin_american_is_not_american():
    assert find_places("Latin American leaders met.") == []


@pytest.mark.parametrize("sentence, capital, country", [
    ("Washington will grant sanctions relief to Belavia.", "Washington", "US"),
    ("Minsk said the prisoners were pardoned.", "Minsk", "BY"),
    ("Vilnius has closed two checkpoints.", "Vilnius", "LT"),
    ("Warsaw accused Moscow of sending drones.", "Warsaw", "PL"),
    ("Moscow has denied it.", "Moscow", "RU"),
    ("Washington hints at reopening its embassy.", "Washington", "US"),
])
def test_a_capital_doing_what_governments_do_is_its_country(sentence, capital, country):
    mention = only(find_places(sentence), capital)
    assert mention.metonym and mention.kind == "country" and mention.country == country
    assert mention.lat is None and mention.lon is None


@pytest.mark.parametrize("sentence, capital", [
    ("The US embassy in Vilnius said it could not confirm.", "Vilnius"),
    ("John Coale, who led the US delegation to Minsk, said he hoped for more.", "Minsk"),
    ("Vilnius is located on the Neris.", "Vilnius"),
    ("Minsk has a population of two million.", "Minsk"),
])
def test_a_capital_as_a_place_keeps_its_pin(sentence, capital):
    mention = only(find_places(sentence), capital)
    assert not mention.metonym and mention.kind == "city"
    assert mention.lat is not None


def test_seats_of_government_by_their_buildings_are_metonyms():
    kremlin = only(find_places("The Kremlin said the talks went well."), "Kremlin")
    assert kremlin.metonym and kremlin.country == "RU" and kremlin.lat is None


@pytest.mark.parametrize("text, surface, name, kind, country", [
    ("Talks with the US resumed.", "US", "United States", "country", "US"),
    ("U.S. officials declined to comment.", "U.S.", "United States", "country", "US"),
    ("Nationals of Britain and Germany were freed.", "Britain", "United Kingdom", "country", "GB"),
    ("She urged the EU to keep sanctions.", "EU", "EU", "organisation", ""),
    ("Belarus shares borders with three Nato countries.", "Nato", "Nato", "organisation", ""),
    ("the European Union", "European Union", "European Union", "organisation", ""),
    ("Lithuania’s border guard said so.", "Lithuania", "Lithuania", "country", "LT"),
    ("He crossed at Medininkai.", "Medininkai", "Medininkai", "settlement", "LT"),
    ("A rally in Mińsk Mazowiecki drew crowds.", "Mińsk Mazowiecki", "Mińsk Mazowiecki", "city", "PL"),
    ("Protests spread across the Grodno region.", "Grodno region", "Grodno Region", "region", "BY"),
    ("Trucks queued at Kamenny Log.", "Kamenny Log", "Kamenny Log", "settlement", "BY"),
    ("He was held in Okrestina prison.", "Okrestina", "Okrestina", "facility", "BY"),
])
def test_toponyms_in_running_text(text, surface, name, kind, country):
    mention = only(find_places(text), surface)
    assert (mention.name, mention.kind, mention.country) == (name, kind, country)
    assert text[mention.start:mention.end] == surface


def test_organisations_have_no_country_and_no_pin():
    eu = only(find_places("the EU said"), "EU")
    assert eu.country == "" and eu.countries == () and eu.lat is None


def test_a_settlement_named_with_checkpoint_is_the_crossing_itself():
    mention = only(find_places("Cars queued at the Medininkai checkpoint."), "Medininkai")
    assert mention.kind == "crossing" and mention.name == "Medininkai-Kamenny Log"
    assert not mention.inferred and set(mention.countries) == {"BY", "LT"}


@pytest.mark.parametrize("text", [
    "May said the Police would March on Monday.",
    "Many of them said Of course.",
    "Us and them.",
    "Donald Trump met Ales Bialiatski and Mikola Statkevich.",
    "Michael Jordan and Chad Smith played.",
    "Fidel Castro spoke for hours. Castro attended a rally on Thursday.",
    "Mr. Leon said the deal was done.",
    "The Warsaw Pact collapsed.",
    "Published in Dawn, September 12th, 2025",
    "a letter from Trump in English to Lukashenko",
])
def test_words_and_people_that_are_also_towns_are_not_places(text):
    assert [m for m in find_places(text) if m.kind not in ("country", "organisation")] == []


def test_a_small_town_needs_a_preposition_and_its_country_in_the_article():
    assert find_places("Sejny officials met.") == []
    sejny = only(find_places("Protesters gathered in Sejny, Poland."), "Sejny")
    assert sejny.country == "PL" and sejny.lat == pytest.approx(54.108, abs=0.01)


@pytest.mark.parametrize("text", [
    "Sejny, Poland, was quiet on Monday.",  # its country right after it
    "Sejny, a town near the Lithuanian border, was quiet.",  # what it is right after it
])
def test_a_small_town_the_text_introduces_needs_no_preposition(text):
    sejny = only(find_places(text), "Sejny")
    assert sejny.country == "PL" and sejny.kind == "city"
    # another country after it is no introduction: the Polish town stays unread
    assert not [m for m in find_places("Sejny, Lithuania, was quiet.") if m.text == "Sejny"]


def test_the_seed_no_mans_zone_is_the_medininkai_kamenny_log_crossing_inferred():
    text = SEED.read_text(encoding="utf-8")
    zone = [m for m in find_places(text) if m.inferred]
    assert len(zone) == 1
    mention = zone[0]
    assert mention.text.startswith("no-man’s zone")
    assert text[mention.start:mention.end] == mention.text
    assert (mention.kind, mention.name) == ("crossing", "Medininkai-Kamenny Log")
    assert set(mention.countries) == {"BY", "LT"}
    assert km(mention.lat, mention.lon, 54.53, 25.68) < 5


def test_the_seed_reads_as_a_careful_reader_would():
    text = SEED.read_text(encoding="utf-8")
    mentions = find_places(text)
    assert all(text[m.start:m.end] == m.text for m in mentions)
    metonyms = [m for m in mentions if m.metonym]
    assert [m.text for m in metonyms] == ["Washington"] * 3 and {m.country for m in metonyms} == {"US"}
    cities = {m.name for m in mentions if m.kind == "city"}
    assert cities == {"Vilnius", "Minsk"}
    demonyms = {(m.text, m.country) for m in mentions if m.kind == "demonym"}
    assert demonyms == {("Belarusian", "BY"), ("Russian", "RU")}
    countries = {m.country for m in mentions if m.kind == "country"}
    assert {"BY", "LT", "US", "PL", "RU", "UA", "LV", "FR", "GB", "DE"} <= countries


def test_border_place_needs_a_border_the_countries_share():
    sentence = "He sat in the no-man's zone at the border for hours."
    mention = border_place(sentence, ["LT", "BY"])
    assert mention.name == "Medininkai-Kamenny Log" and mention.inferred
    assert sentence[mention.start:mention.end] == "no-man's zone at the border"
    assert border_place(sentence, ["PL", "BY"]).name == "Terespol-Brest"
    assert border_place(sentence, ["LT"]) is None
    assert border_place(sentence, ["BY", "LT", "PL"]) is None  # two borders: ambiguous
    assert border_place("Vilnius closed the border with Belarus.", ["LT", "BY"]) is None
    assert border_place("They were driven to the border with Lithuania.", ["BY", "LT"]).text == "the border"


def test_border_guards_are_not_a_border_point():
    assert [m for m in find_places("Lithuania’s border guards said Belarus sent balloons.") if m.inferred] == []


def test_find_places_on_a_5000_character_article_takes_well_under_10_ms():
    places.load_gazetteer()
    text = SEED.read_text(encoding="utf-8")
    text = (text * 2)[:5000]
    find_places(text)
    runs = []
    for _ in range(15):
        started = time.perf_counter()
        find_places(text)
        runs.append(time.perf_counter() - started)
    assert statistics.median(runs) < 0.010


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_any_text_gives_mentions_whose_offsets_point_at_their_text(text):
    for m in find_places(text):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["Minsk", "said", "in", "Vilnius", "the", "border", "at", "Belarusian",
                                 "US", "May", "Police", "no-man’s zone", "Lithuania", ",", "."]), max_size=30))
def test_any_mix_of_place_words_keeps_mentions_ordered_and_inside_the_text(words):
    text = " ".join(words)
    mentions = find_places(text)
    assert mentions == sorted(mentions, key=lambda m: (m.start, m.end))
    for m in mentions:
        assert text[m.start:m.end] == m.text
        assert (m.lat is None) == (m.lon is None)


# ---- the gazetteer kept in the user's cache folder ----

def test_the_gazetteer_is_stored_once_built_and_read_back_the_same(tmp_path, monkeypatch):
    import numpy as np

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = places.gazetteer_cache_path()
    assert path.parent == tmp_path / "timeline" and not path.exists()
    built = gazetteer._cached_gazetteer(path)
    assert path.is_dir()
    read = gazetteer._cached_gazetteer(path)
    assert read is not built and read.load_seconds == built.load_seconds  # from the folder, not rebuilt
    fresh = gazetteer._build_gazetteer()  # every name of a build is found in the stored arrays
    assert len(read) == len(fresh.index) > 300_000
    for key in list(fresh.index)[::97]:
        assert read.lookup(key) == fresh.lookup(key), key
    assert read.lookup("no such place anywhere") == [] and read.lookup("") == []
    # Memory-mapped, not read in: the workers of a machine share one copy in the page cache.
    # (plain arrays over the mapped pages: views of a np.memmap, no copy of their own)
    for name in ("keys", "lat"):
        array = read._stored.arrays[name]
        assert isinstance(array.base, np.memmap) and not array.flags.owndata, name


def test_a_damaged_or_unwritable_gazetteer_cache_is_rebuilt_not_an_error(tmp_path, monkeypatch):
    path = tmp_path / "gazetteer-x"
    path.write_bytes(b"not a folder of arrays")
    gaz = gazetteer._cached_gazetteer(path)
    assert gaz.candidates("Vilnius") and path.is_dir() and gazetteer._read_cache(path) is not None
    blocked = tmp_path / "file" / "gazetteer-y"
    (tmp_path / "file").write_text("a file where the folder should be", encoding="utf-8")
    assert gazetteer._cached_gazetteer(blocked).candidates("Vilnius")
    assert not list(tmp_path.glob(".gazetteer-*"))  # no temporary folder left behind


def test_the_gazetteer_cache_holds_plain_arrays_and_an_altered_file_is_not_used(tmp_path, monkeypatch):
    import numpy as np

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = places.gazetteer_cache_path()
    built = gazetteer._cached_gazetteer(path)
    for f in path.glob("*.npy"):  # no object arrays: reading runs no code
        assert np.load(f, allow_pickle=False).dtype != object
    sums = (path / gazetteer.DIGESTS).read_text().splitlines()
    assert len(sums) == len(list(path.glob("*.npy"))) and all(len(line.split()[0]) == 64 for line in sums)
    read = gazetteer._cached_gazetteer(path)
    assert read.load_seconds == built.load_seconds  # from the folder
    assert read.candidates("Medininkai") == built.candidates("Medininkai")
    names = path / "keys.npy"
    data = bytearray(names.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one byte altered: the digest no longer matches
    names.write_bytes(bytes(data))
    assert gazetteer._read_cache(path) is None
    rebuilt = gazetteer._cached_gazetteer(path)
    assert rebuilt.candidates("Vilnius") and gazetteer._read_cache(path) is not None


def test_a_city_named_in_a_cyrillic_case_is_found_through_its_latin_name():
    """A city timeline/data/place_names.csv does not list: written in Latin letters and
    taken back to its nominative (timeline/data/cyrillic_cases.yaml), the largest reading."""
    text = ("Беларусь освободила заключённых. Их привезли из Гомеля в Вильнюс, а в Витебске прошли акции. "
            "Мир сказал своё. Новости Радио Свобода.")
    found = {m.text: (m.name, m.country) for m in find_places(text)}
    assert found["Гомеля"] == ("Homyel'", "BY") and found["Витебске"] == ("Vitebsk", "BY")
    assert not {"Мир", "Новости", "Радио", "Свобода"} & set(found)  # words, and a village too small to trust


def test_a_broken_case_table_is_a_data_error(tmp_path, monkeypatch):
    from conftest import replaced_data_file
    from timeline.errors import DataError
    from timeline.extract.places import mentions

    with replaced_data_file(monkeypatch, tmp_path, mentions, "CYRILLIC_CASES", mentions._case_endings,
                            "endings:\n  - [e, a]\n"), pytest.raises(DataError, match="cyrillic_cases.yaml"):
        mentions._case_endings()


def test_a_languages_own_prepositions_point_to_its_cities():
    """lang/<code>/places.yaml: "в Гомеле" supports a city as "in Gomel" does, and a capitalised
    preposition opening a sentence ("Под Лидой") is no part of a name."""
    from timeline import lang

    text = "Под Лидой задержали двоих. Протесты прошли в Гомеле и во Львове."
    with lang.reading("ru"):
        found = {m.text: (m.name, m.country) for m in find_places(text)}
    assert found == {"Лидой": ("Lida", "BY"), "Гомеле": ("Homyel'", "BY"), "Львове": ("Lviv", "UA")}
    assert find_places(text) == []  # read as English, nothing points to them
