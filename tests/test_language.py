"""Which language an article is in: found, not declared (timeline.lang.detect), and the
tagger reading each language with its own rules."""
import pytest

from timeline.lang import detect
from timeline.temporal import tag

PARAGRAPHS = {
    "en": "Fifty-two prisoners freed by Belarus crossed into Lithuania on Thursday, officials in "
          "Vilnius said, after weeks of talks that ended without a joint statement.",
    "fr": "Cinquante-deux prisonniers libérés par le Bélarus ont franchi jeudi la frontière "
          "lituanienne, ont indiqué des responsables à Vilnius après des semaines de pourparlers.",
    "ru": "В четверг пятьдесят два заключённых, освобождённых Беларусью, пересекли границу с Литвой, "
          "сообщили чиновники в Вильнюсе после нескольких недель переговоров.",
    "pl": "W czwartek pięćdziesięciu dwóch więźniów uwolnionych przez Białoruś przekroczyło granicę "
          "z Litwą, poinformowali urzędnicy w Wilnie po tygodniach rozmów.",
    "de": "Am Donnerstag überquerten zweiundfünfzig von Belarus freigelassene Gefangene die Grenze "
          "zu Litauen, teilten Beamte in Vilnius nach wochenlangen Gesprächen mit.",
}


@pytest.mark.parametrize("code", sorted(PARAGRAPHS))
def test_a_paragraph_is_found_to_be_in_its_language(code):
    assert detect.detect(PARAGRAPHS[code]) == code


def test_a_text_too_short_to_tell_is_not_judged():
    assert detect.detect("Gas prices will rise.") is None
    assert detect.detect("2025-09-12 12:00") is None


def test_a_short_english_sentence_is_never_read_with_another_languages_rules():
    # lingua alone calls this French (0.77): below MIN_CONFIDENCE, or too short, it stays English
    found = tag("Gas prices will rise this winter, the ministry said on Friday in Vilnius.", "2025-09-12")
    assert [(t.text, t.value) for t in found] == [("this winter", "2025-WI"), ("Friday", "2025-09-12")]


def test_detecting_reads_only_the_start_of_a_text():
    text = PARAGRAPHS["fr"] + " " + PARAGRAPHS["en"] * 200
    assert detect.detect(text) == "fr"


def test_a_french_article_is_tagged_with_the_french_rules_without_being_told():
    text = PARAGRAPHS["fr"] + " Le vote aura lieu le 13 avril prochain, et non en septembre dernier."
    found = [(t.text, t.value) for t in tag(text, "2025-09-12")]
    assert found == [("jeudi", "2025-09-11"), ("des semaines", "PXW"), ("le 13 avril prochain", "2026-04-13"),
                     ("septembre dernier", "2024-09")]
    assert [t.text for t in tag(text, "2025-09-12", lang="en")] == []  # the English rules see no date


def test_a_language_without_rules_of_its_own_is_read_with_the_english_ones():
    assert detect.tagger_language("ru") == "en"
    assert detect.tagger_language("fr") == "fr"
    assert detect.tagger_language(None) == "en"
    found = tag("Переговоры прошли 2025-09-11 в Вильнюсе.", "2025-09-12", lang="ru")
    assert [(t.text, t.value) for t in found] == [("2025-09-11", "2025-09-11")]


@pytest.mark.parametrize("bad", ["xx", "english", "", 3])
def test_an_unknown_language_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="not a language timeline reads"):
        tag("on Friday", "2025-09-12", lang=bad)


@pytest.mark.parametrize("text, code", [("В четверг Минск опроверг это.", "ru"),
                                        ("У нядзелю Мінск абверг гэтае паведамленне.", "be"),
                                        ("У неділю Мінськ спростував це повідомлення.", "uk")])
def test_a_short_text_in_cyrillic_is_still_judged_and_never_english(text, code):
    assert detect.detect(text) == code
