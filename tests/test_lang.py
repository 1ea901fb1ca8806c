"""Language resources: every word list is data, loaded once, and a malformed entry is one
clear error naming the file and the entry."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from timeline import categories, lang
from timeline.errors import DataError
from timeline.extract import vocabulary
from timeline.extract.places import words as place_words
from timeline.lang import Resource
from timeline.read import published
from timeline.read import sentences
from timeline.temporal.lexicon import lexicon, reading
from timeline.temporal.rules import rules


@pytest.mark.parametrize("code", lang.languages())
def test_every_language_folder_loads_every_resource_the_code_reads(code):
    if (lang.LANG_DIR / code / "events.yaml").exists():
        assert vocabulary.words(code).said.search("the minister said on Friday")
    if (lang.LANG_DIR / code / "places.yaml").exists():
        assert place_words.words(code).demonyms
    if (lang.LANG_DIR / code / "sentences.yaml").exists():
        assert sentences.words(code).abbreviations
    if (lang.LANG_DIR / code / "read.yaml").exists():
        assert published._patterns(code).footer_kinds
    assert len(lang.month_names(code)) == 12
    if (lang.LANG_DIR / code / "categories.yaml").exists():
        assert set(categories.words(code)) <= set(categories.NAMES)
    if (lang.LANG_DIR / code / "temporal_rules.yaml").exists():
        with reading(code):
            assert len(rules()) >= 10 and lexicon().months


def test_one_month_table_serves_the_tagger_the_reader_and_the_app():
    assert lang.month_names() == ("January", "February", "March", "April", "May", "June", "July", "August",
                                  "September", "October", "November", "December")
    assert lang.months()["sept"] == 9 and lang.weekdays()["thurs"] == 4
    assert published.parse_published("Thurs., Sept. 11, 2025").isoformat() == "2025-09-11"


@pytest.mark.parametrize("data, call, message", [
    ({"roles": ["former", 3]}, lambda r: r.words("roles"), "x.yaml: roles, entry 2: expected a word, got 3"),
    # YAML reads a bare on as true: the loader says so instead of matching "True"
    ({"dates": [True]}, lambda r: r.words("dates"), "x.yaml: dates, entry 1: expected a word, got True"),
    ({"said": "(?:said"}, lambda r: r.pattern("said"), "x.yaml: said: not a valid regular expression"),
    ({"amounts": {"a": "one"}}, lambda r: r.mapping("amounts", int), "x.yaml: amounts: a: expected int, got 'one'"),
    ({"table": "US | US | country | | extra"}, lambda r: r.rows("table", 4), "x.yaml: table, line 1"),
    ({}, lambda r: r.words("roles"), "x.yaml: no entry 'roles'"),
])
def test_a_malformed_entry_is_a_data_error_naming_the_file_and_the_entry(data, call, message):
    with pytest.raises(DataError) as e:
        call(Resource(Path("x.yaml"), data))
    assert message in str(e.value) and "\n" not in str(e.value)


@pytest.fixture
def scratch_language(tmp_path, monkeypatch):
    """A copy of the English folder as language 'zz', for breaking one file of it (English
    beside it: a language's files are read over English's)."""
    shutil.copytree(lang.LANG_DIR / "en", tmp_path / "en")
    shutil.copytree(lang.LANG_DIR / "en", tmp_path / "zz")
    monkeypatch.setattr(lang, "LANG_DIR", tmp_path)
    caches = (lang.resource, lang.layered, lang._has, vocabulary._event_words, categories._words, place_words._words,
              place_words._serving)
    for cache in caches:
        cache.cache_clear()
    yield tmp_path / "zz"
    for cache in caches:
        cache.cache_clear()


def test_a_broken_pattern_in_the_events_words_names_file_and_entry(scratch_language):
    path = scratch_language / "events.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("plan: '\\b(?:will", "plan: '\\b((?:will"),
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"zz/events\.yaml: plan: not a valid regular expression"):
        vocabulary.words("zz")


def test_category_words_for_a_category_the_table_lacks_are_refused(scratch_language):
    path = scratch_language / "categories.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "gossip: [rumour]\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"zz/categories\.yaml: gossip: not a category"):
        categories.words("zz")


def test_a_missing_resource_is_named_and_a_missing_language_file_reads_english(scratch_language):
    (scratch_language / "places.yaml").write_text("function_words: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"zz/places\.yaml.*malformed YAML"):
        place_words.words("zz")
    (scratch_language / "places.yaml").unlink()
    with pytest.raises(DataError, match=r"zz/places\.yaml: cannot read"):
        lang.resource("places", "zz")
    lang._has.cache_clear()
    place_words._serving.cache_clear()
    assert place_words.words("zz") is place_words.words("en")  # a language says only what differs


def test_the_category_table_holds_every_category_once_with_its_own_colour_and_symbol():
    assert categories.NAMES[-1] == categories.OTHER
    assert sorted(categories.DISPLAY_ORDER) == sorted(categories.NAMES)
    drawn = [c for c in categories.TABLE_ROWS if c.name != categories.OTHER]
    assert len({c.colour for c in drawn}) == len(drawn)
    assert categories.colour("border") == "#999933" and categories.symbol("border") == "hourglass"
    assert categories.colour("border") != categories.colour("other")
    assert categories.colour("no-such-category") == categories.colour("other")
    assert categories.label("release") == "Release" and categories.label("rumours") == "Rumours"
    # the English words cover every category but the fallback
    assert set(categories.words()) == set(categories.NAMES) - {categories.OTHER}


def test_a_language_file_says_only_what_differs_from_english(scratch_language):
    (scratch_language / "events.yaml").write_text("speech_verbs: dixit\n", encoding="utf-8")
    layered = lang.layered("events", "zz")
    assert layered.words("speech_verbs") == ("dixit",)
    assert layered.words("subject_pronouns") == lang.resource("events", "en").words("subject_pronouns")
    assert vocabulary.words("zz").speech_verb.search("Caesar dixit")
    assert not vocabulary.words("zz").speech_verb.search("the minister said")
