"""Which language an article is in: found, not declared (timeline.lang.detect), and the
tagger reading each language with its own rules."""
from pathlib import Path

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


def test_every_language_detected_has_rules_of_its_own():
    assert [detect.tagger_language(code) for code in detect.READ] == list(detect.READ)
    assert detect.tagger_language(None) == "en"


ARTICLES = {  # an article's opening in each language, and the dates it holds (dct 2025-09-12)
    "ru": ("В четверг 52 заключённых, освобождённых Беларусью, пересекли границу с Литвой. "
           "Переговоры начались ещё 22 августа, а в прошлом месяце Польша открыла два пункта пропуска.",
           [("четверг", "2025-09-11"), ("22 августа", "2025-08-22"), ("прошлом месяце", "2025-08")]),
    "be": ("У чацвер 52 палітвязні, вызваленыя Беларуссю, перасеклі мяжу з Літвой. "
           "Перамовы пачаліся яшчэ 22 жніўня, а ў мінулым месяцы Польшча адкрыла два пункты пропуску.",
           [("чацвер", "2025-09-11"), ("22 жніўня", "2025-08-22"), ("мінулым месяцы", "2025-08")]),
    "uk": ("У четвер 52 в'язні, звільнені Білоруссю, перетнули кордон із Литвою. "
           "Переговори почалися ще 22 серпня, а минулого місяця Польща відкрила два пункти пропуску.",
           [("четвер", "2025-09-11"), ("22 серпня", "2025-08-22"), ("минулого місяця", "2025-08")]),
    "pl": ("W czwartek 52 więźniów uwolnionych przez Białoruś przekroczyło granicę z Litwą. "
           "Rozmowy zaczęły się już 22 sierpnia, a w zeszłym miesiącu Polska otworzyła dwa przejścia.",
           [("czwartek", "2025-09-11"), ("22 sierpnia", "2025-08-22"), ("zeszłym miesiącu", "2025-08")]),
    "lt": ("Ketvirtadienį 52 Baltarusijos paleisti kaliniai kirto sieną su Lietuva. "
           "Derybos prasidėjo dar rugpjūčio 22 d., o praėjusį mėnesį Lenkija atidarė du pasienio punktus.",
           [("Ketvirtadienį", "2025-09-11"), ("rugpjūčio 22 d.", "2025-08-22"), ("praėjusį mėnesį", "2025-08")]),
    "de": ("Am Donnerstag überquerten 52 von Belarus freigelassene Gefangene die Grenze zu Litauen. "
           "Die Gespräche hatten schon am 22. August begonnen, im vergangenen Monat öffnete Polen zwei Übergänge.",
           [("Donnerstag", "2025-09-11"), ("22. August", "2025-08-22"), ("vergangenen Monat", "2025-08")]),
}


@pytest.mark.parametrize("code", sorted(ARTICLES))
def test_an_article_in_each_language_is_found_and_dated_with_its_own_rules(code):
    text, dates = ARTICLES[code]
    assert detect.detect(text) == code
    assert [(t.text, t.value) for t in tag(text, "2025-09-12")] == dates


@pytest.mark.parametrize("bad", ["xx", "english", "", 3])
def test_an_unknown_language_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="not a language timeline reads"):
        tag("on Friday", "2025-09-12", lang=bad)


@pytest.mark.parametrize("text, code", [("В четверг Минск опроверг это.", "ru"),
                                        ("У нядзелю Мінск абверг гэтае паведамленне.", "be"),
                                        ("У неділю Мінськ спростував це повідомлення.", "uk")])
def test_a_short_text_in_cyrillic_is_still_judged_and_never_english(text, code):
    assert detect.detect(text) == code


@pytest.mark.parametrize("text", ["这是一个很长的中文句子，用来测试语言检测是否会崩溃。" * 5,
                                  "هذه جملة عربية طويلة لاختبار الكشف عن اللغة" * 3, "\U0001f642" * 300,
                                  "Freed on Thursday \ud800 they crossed last month, the ministry said. " * 3,
                                  "\x00" * 100])
def test_any_script_or_a_lone_surrogate_is_read_without_a_crash(text):
    assert detect.detect(text) in (None, *detect.READ)
    tag(text, "2025-09-12")  # no exception


SEED_DIR = Path(__file__).resolve().parent / "data" / "seed"

# The seed design's six events: (timex, granularity, a word of the evidence sentence) per language.
SEED_EVENTS = {
    "ru": [("2025-09-11", "day", "освободила 52"), ("2010", "year", "Статкевич"), ("2020", "year", "протестов"),
           ("2022", "year", "вторжения"), ("2025-06", "month", "Тихановский"), ("2025-08-22", "day", "16 человек")],
    "pl": [("2025-09-11", "day", "uwolniła w czwartek"), ("2010", "year", "Statkiewicz"), ("2020", "year", "protestów"),
           ("2022", "year", "inwazji"), ("2025-06", "month", "Cichanouski"), ("2025-08-22", "day", "16 osób")],
    "lt": [("2025-09-11", "day", "paleido 52"), ("2010", "year", "Statkevičius"), ("2020", "year", "protestų"),
           ("2022", "year", "invazijai"), ("2025-06", "month", "Cichanouskis"), ("2025-08-22", "day", "16 žmonių")],
}


@pytest.mark.parametrize("code", sorted(SEED_EVENTS))
def test_the_seed_story_in_another_language_gives_its_six_dated_events(code):
    from timeline.extract import extract_events
    from timeline.read import read_path

    article = read_path(SEED_DIR / f"{code}.txt", published="2025-09-12")[0]
    assert article.language == code
    events = [e for e in extract_events(article) if e["dated"]]
    for timex, granularity, word in SEED_EVENTS[code]:
        hits = [e for e in events if e["timex"] == timex and word in e["sentence"]]
        assert hits, f"{code}: no {timex} event from the sentence with {word!r}"
        assert all(e["granularity"] == granularity and e["language"] == code for e in hits)
    release = next(e for e in events if e["timex"] == "2025-09-11")
    assert release["category"] == "release" and "52" in release["title"]
    # names in any alphabet are actors: "Сергей Тихановский", "Siarhiej Cichanouski"
    june = next(e for e in events if e["timex"] == "2025-06")
    assert any(SEED_EVENTS[code][4][2] in name and " " in name for name in june["actors"])


def test_the_seed_story_in_four_languages_merges_into_one_row_per_event():
    from timeline.parse import parse
    from timeline.read import read_path

    seed = read_path(next((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt")))
    retold = [read_path(SEED_DIR / f"{code}.txt", published="2025-09-12")[0] for code in sorted(SEED_EVENTS)]
    alone = sum(len(parse([a]).frame) for a in seed + retold)
    frame = parse(seed + retold).frame
    assert len(frame) < alone - 6
    four = frame[frame["sources"].map(len) == 4]
    release = four[four["timex"] == "2025-09-11"]
    assert len(release) == 1 and release.iloc[0]["category"] == "release"
    assert sorted(release.iloc[0]["sources"]) == sorted(["Dawn", "lt.txt", "pl.txt", "ru.txt"])
    assert "52" in release.iloc[0]["title"] and release.iloc[0]["language"] == "en"  # merge.PREFERRED_LANGUAGE
    # the 2010 election and the 2022 invasion, each told in all four
    assert {"2010", "2022"} <= set(four["timex"])
    # every article's release of 22 August (the English one tells only Lukashenko's words of that day)
    assert len(frame[(frame["timex"] == "2025-08-22") & (frame["category"] == "release")]) == 1


MIXED = [
    # a Russian quotation in an English story: its date read with the Russian rules
    ("en", "Lukashenko said on Thursday: «Мы освободили их 12 сентября 2025 года, как и обещали». "
           "The talks began in 2010.",
     [("Thursday", "2025-09-11"), ("12 сентября 2025 года", "2025-09-12"), ("2010", "2010")]),
    # an English quotation in a Russian story (too short for detection: English)
    ("ru", "Лукашенко сказал в четверг: «We will meet again on Monday, 15 September 2025 in Vilnius», "
           "добавил он.",
     [("четверг", "2025-09-11"), ("Monday, 15 September 2025", "2025-09-15")]),
    # a Ukrainian passage: its own language among the Cyrillic ones
    ("en", "The minister wrote: «Ми звільнили їх у четвер, 11 вересня 2025 року, як і обіцяли, "
           "і будемо працювати далі». He left on Friday.",
     [("четвер, 11 вересня 2025 року", "2025-09-11"), ("Friday", "2025-09-12")]),
]


@pytest.mark.parametrize("lang, text, expected", MIXED)
def test_a_passage_in_another_script_is_tagged_in_its_own_language(lang, text, expected):
    for given in (lang, None):  # declared or detected
        found = tag(text, "2025-09-13", lang=given)
        assert [(t.text, t.value) for t in found] == expected
        assert all(text[t.start:t.end] == t.text for t in found)


def test_passages_are_only_runs_of_words_in_the_other_script():
    text = ("Statkevich (Статкевич) met Лукашенко in 2010. «Мы освободили их в четверг», he said.\n\n"
            "Зняволеных вызвалілі ў чацвер")
    found = [(text[a:b], code) for a, b, code in detect.passages(text, "en")]
    assert found == [("Мы освободили их в четверг", "ru"), ("Зняволеных вызвалілі ў чацвер", "be")]
    assert detect.passages("Лукашенко сказал: «Reuters»", "ru") == []  # one word is a name, not a passage
    many = " ".join(["«Мы освободили их в четверг», he said."] * (detect.MAX_PASSAGES + 50))
    assert len(detect.passages(many, "en")) == detect.MAX_PASSAGES


@pytest.mark.parametrize("code, text, kept", [
    ("ru", "Годовая инфляция в феврале замедлилась до 17,2%, сообщил Росстат. Цены на продукты выросли.", "17,2%"),
    ("uk", "За підсумками минулого року ціни в Україні зросли на 26,6%, повідомив Держстат.", "26,6%"),
    ("pl", "Inflacja w lutym spadła do 17,2 proc., podał GUS. Ceny żywności wzrosły.", "17,2"),
    ("lt", "Metinė infliacija vasario mėnesį sulėtėjo iki 17,2 proc., pranešė Statistikos departamentas.", "17,2"),
    ("fr", "L'inflation est tombée à 2,4 % en février, selon l'Insee, après une hausse en janvier.", "2,4 %"),
])
def test_a_title_keeps_a_decimal_comma(code, text, kept):
    """A comma between two digits is a decimal comma, not the end of a clause."""
    from timeline.extract import extract_events
    from timeline.read import article_from_text

    article = article_from_text(text, published="2025-03-15", language=code)
    titles = [e["title"] for e in extract_events(article) if e["dated"]]
    assert titles and kept in titles[0], titles


def test_an_article_too_short_to_tell_is_read_as_english_with_a_warning():
    from timeline.parse import parse
    from timeline.read import article_from_text

    short = article_from_text("Freed on Thursday.", published="2025-09-12", name="short.txt")
    long = article_from_text(PARAGRAPHS["fr"], published="2025-09-12", name="long.txt")
    result = parse([short, long])
    assert result.warnings == ["short.txt: too little text to tell its language; read as English"]
    assert sorted(result.frame["language"].unique()) == ["", "fr"]
    assert "2025-09-11" in result.frame["timex"].tolist()  # "Thursday" read with the English rules


@pytest.mark.parametrize("text, names", [
    ("Их встретили в Вильнюсе, а переговоры прошли в Минске.", ["Vilnius", "Minsk"]),
    ("Їх зустріли у Вільнюсі, а переговори відбулися в Мінську.", ["Vilnius", "Minsk"]),
    ("Іх сустрэлі ў Вільні, а перамовы прайшлі ў Мінску.", ["Vilnius", "Minsk"]),
    ("Powitano ich w Wilnie, a rozmowy odbyły się w Mińsku.", ["Vilnius", "Minsk"]),
    ("Juos pasitiko Vilniuje, o derybos vyko Minske.", ["Vilnius", "Minsk"]),
])
def test_the_regions_cities_are_found_in_each_language_and_case(text, names):
    from timeline.extract.places import find_places

    found = [p for p in find_places(text) if p.kind == "city"]
    assert [p.name for p in found] == names
    assert all(p.lat is not None for p in found)


@pytest.mark.parametrize("text, countries", [
    ("пересекли границу с Литвой и Польшей", ["LT", "PL"]),
    ("granicę z Litwą i Białorusią", ["LT", "BY"]),
    ("Baltarusijos ir Lietuvos pasienyje", ["BY", "LT"]),
])
def test_the_regions_countries_are_found_in_their_cases(text, countries):
    from timeline.extract.places import find_places

    assert [p.country for p in find_places(text)] == countries
