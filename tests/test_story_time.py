"""The story's own time: a month or day without a year takes the year the text is telling,
and a range of years is two expressions (issue 12). Table tests, one row per rule."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.cli import main
from timeline.temporal import tag
from timeline.temporal.context import tells_its_own_time

HISTORY = (
    "The border had been disputed since 1772, 1793 and 1795, and again after 1815 and 1918.\n\n"
    "The war began in 1920 when the army crossed the river. In 1920 the fighting spread.\n\n"
    "On April 24, the army began its main offensive. In 1921, a treaty was signed.\n\n"
    "By 1939 the peace had failed, and in 1940 the front moved again.\n\n"
    "In June, the government fled. During the summer, the city fell. By the end of the year "
    "nothing was left. {extra}"
)


def values(text: str, dct: str = "2009-05-01", genre: str | None = None) -> dict[str, str]:
    return {t.text: t.value for t in tag(text, dct, genre)}


@pytest.mark.parametrize("text, expected", [
    # a history: the year told last, across paragraphs, for months, seasons and "the year"
    (HISTORY.format(extra=""), {"April 24": "1920-04-24", "June": "1940-06", "the summer": "1940-SU",
                                "the end of the year": "1940"}),
    # news: the sentence after one that opens on a date of another year, opening on a month
    ("In March 2014, Russia annexed Crimea. In April, fighting began in the Donbas.",
     {"March 2014": "2014-03", "April": "2014-04"}),
])
def test_a_month_without_a_year_takes_the_year_the_text_is_telling(text, expected):
    got = values(text)
    assert {k: got.get(k) for k in expected} == expected


@pytest.mark.parametrize("extra, expected", [
    ("On June 3, the city fell. Two days later the king fled.", {"Two days later": "1940-06-05"}),
    ("On June 3, the city fell.\n\nAt 5 a.m. the guns stopped.", {"5 a.m.": "1940-06-03T05:00"}),
    ("The war ended the next year.", {"the next year": "1941"}),
    ("Later in the year the king returned.", {"Later in the year": "1940"}),
    # what is reckoned from now stays so in a history: "last year", "today"
    ("The museum opened last year.", {"last year": "2008"}),
    ("The bridge still stands today.", {"today": "2009-05-01"}),
    # a look back ("a year earlier") is no move of the story: the next month is still 1940's
    ("On June 3, the city fell; a year earlier the walls had been rebuilt. In August, the king fled.",
     {"a year earlier": "1939", "August": "1940-08"}),
])
def test_a_history_counts_from_the_date_it_told_last(extra, expected):
    got = values(HISTORY.format(extra="\n\n" + extra))
    assert {k: got.get(k) for k in expected} == expected


@pytest.mark.parametrize("text, expected", [
    # a date of another year that does not open its sentence sets no year for the news
    ("Sniper attacks in New York date to 1994. In January, police named a suspect.",
     {"January": "2009-01"}),
    # two sentences on, the news is back in its own time
    ("In March 2014, Russia annexed Crimea. Talks stalled. In April, the ministers met.",
     {"April": "2009-04"}),
    # another paragraph: the news is back in its own time
    ("In March 2014, Russia annexed Crimea.\n\nIn April, the ministers met.", {"April": "2009-04"}),
])
def test_news_keeps_the_dct_year_where_no_story_year_is_set(text, expected):
    got = values(text)
    assert {k: got.get(k) for k in expected} == expected


@pytest.mark.parametrize("text, expected", [
    # a history's month that the text's own present says is ahead is reckoned from the dct
    (HISTORY.format(extra="\n\nThe bridge will close in March for repairs."), {"March": "2010-03"}),
    (HISTORY.format(extra="\n\nThe bridge closed in March for repairs."), {"March": "1940-03"}),
    # ... but a quoted "we will" is the story's own future
    (HISTORY.format(extra='\n\nThe king said: "We will attack in March."'), {"March": "1940-03"}),
    # "the following June", "that May": a month told from another date, even a month that is a name
    (HISTORY.format(extra="\n\nThe treaty was signed at Versailles the next June."), {"the next June": "1941-06"}),
    ("Talks began in 2019; that May they failed.", {"that May": "2019-05"}),
    ("The law will take effect the following June.", {"the following June": "2009-06"}),
])
def test_a_month_of_the_texts_own_future_or_told_from_another_date(text, expected):
    got = values(text)
    assert {k: got.get(k) for k in expected} == expected


def test_a_news_storys_background_does_not_move_its_undated_days():
    """A merger story with a paragraph of company history: '9 January' and '18 June' are the
    news' own year, read as news (the lead names its Thursday), not the history's."""
    text = ("HAMBURG - Hallberg reported higher profits on Thursday and announced a merger.\n\n"
            "Freight rates soared from 2020 to 2022, then fell in 2023. Hallberg, founded in 1898 and listed "
            "in 2007, cut 1,200 jobs between 2023 and 2024, after an offer in 2021 failed.\n\n"
            "The two teams had first sat down on 9 January. It said it would set out targets on 18 June.")
    got = values(text, dct="2026-05-07")
    assert got["9 January"] == "2026-01-09" and got["18 June"] == "2026-06-18"


def test_the_genre_can_be_given_and_overrides_the_judgement():
    text = "The war began in 1920. On April 24, the army attacked."
    assert values(text, genre="narrative")["April 24"] == "1920-04-24"
    assert values(text, genre="news")["April 24"] == "2009-04-24"  # past tense, before the dct
    with pytest.raises(ValueError, match="genre 'poem'"):
        tag(text, "2009-05-01", "poem")


@pytest.mark.parametrize("text, expected", [
    (HISTORY.format(extra=""), True),
    ("Prices rose in 2008 and 2009, and the bank expects 2010 to be calm.", False),  # near the dct
    ("The 1994 law was cited.", False),  # too few years to judge a history
    # a short history: five years, all far from the dct, no day of the news' week
    ("Talks failed in 1903. War came in early 1904 and went on through 1904; the fortress fell in January 1905 "
     "and peace was signed in 1905.", True),
    ("Talks failed in 1903. War came in early 1904; peace was signed in 1905.", False),  # three years
    # numbers that count things are no years: "2020 troops"
    ("Police deployed 2020 troops; 1800 people, 1900 soldiers and 1700 trucks came, and 1600 people left.", False),
    # news with a long background still says which day of its week it reports
    (HISTORY.format(extra="The minister said on Friday that talks would resume on Monday; on Thursday "
                          "the envoy had arrived, and today he met the president."), False),
    # a lead that names a day of the news' week makes news of any background after it
    ("HAMBURG - The company reported its results on Thursday. " + HISTORY.format(extra=""), False),
    (HISTORY.format(extra="") + " " * 400 + "It reported its results on Thursday.", True),
])
def test_a_text_is_judged_a_narrative_by_the_years_it_names(text, expected):
    import datetime as dt
    assert tells_its_own_time(text, dt.date(2009, 5, 1)) is expected


@pytest.mark.parametrize("text, expected", [
    ("Fighting lasted from 2014-2016 in the east.", [("2014", "2014"), ("2016", "2016")]),
    ("The bloc fell apart in 1989-91.", [("1989", "1989"), ("91", "1991")]),
    ("The Long March (1927\u20131937) began.", [("1927", "1927"), ("1937", "1937")]),
    ("The 1999-2001 recession hit hard.", [("1999", "1999"), ("2001", "2001")]),
    # absurd ranges give nothing, never a crash: backwards, a short year that would go back,
    # too long to be a period, or a count of things
    ("The plan 2030-2010 makes no sense.", []),
    ("Its code was 1998-02 in the index.", []),
    ("The levels 1700-2099 were listed.", []),
    ("Police deployed 1800-2000 troops.", []),
])
def test_a_range_of_years_is_two_expressions(text, expected):
    assert [(t.text, t.value) for t in tag(text, "2025-09-12")] == expected


@pytest.mark.parametrize("text, expected", [
    ("It rained from March to May 2019.", [("March", "2019-03"), ("May 2019", "2019-05")]),
    ("It snowed from November to February 2020.", [("November", "2019-11"), ("February 2020", "2020-02")]),
    ("Between June and August 1944, the front moved.", [("June", "1944-06"), ("August 1944", "1944-08")]),
    ("The fair ran March 3 to May 5, 2019.", [("March 3", "2019-03-03"), ("May 5, 2019", "2019-05-05")]),
    # no period: the month keeps the publication date's year
    ("He arrived in March and left in 2019.", [("March", "2025-03"), ("2019", "2019")]),
])
def test_a_period_of_months_takes_its_end_year(text, expected):
    assert [(t.text, t.value) for t in tag(text, "2025-09-12")] == expected


@pytest.mark.parametrize("text, expected", [
    ("The Persians burned Athens in 480 BC.", [("480 BC", "BC0480")]),
    ("Octavian won in 31 B.C. at Actium.", [("31 B.C.", "BC0031")]),
    ("Vesuvius erupted in AD 79.", [("AD 79", "0079")]),
    ("The 30 ad campaigns ran all week.", []),
    ("It happened in 0 BC.", []),  # there is no year 0
    ("The wars lasted 499\u2013449 BC in all.", [("499", "BC0499"), ("449 BC", "BC0449")]),
    ("The wars lasted 449-499 BC in all.", []),  # years before Christ count down
    ("Athens grew rich in the 5th century BC.", [("the 5th century BC", "BC04")]),
    # the story is then in that year: what is told from it stays before Christ
    ("Athens burned in 480 BC. The following year, Persia lost at Plataea.",
     [("480 BC", "BC0480"), ("The following year", "BC0479")]),
    ("Athens burned in 480 BC. In September, the fleets met.", [("480 BC", "BC0480"), ("September", "BC0480-09")]),
    ("Athens won in 490 BC. In 480, Xerxes came. That summer, the fleets met. The following spring, Persia lost.",
     [("490 BC", "BC0490"), ("480", "BC0480"), ("That summer", "BC0480-SU"), ("The following spring", "BC0479-SP")]),
    # a season or a month of a year of an era is one expression
    ("In the spring of 490 BC, Darius sent a fleet.", [("the spring of 490 BC", "BC0490-SP")]),
    ("The fleets met in September 480 BC.", [("September 480 BC", "BC0480-09")]),
    ("Pompeii was buried in August AD 79.", [("August AD 79", "0079-08")]),
    ("Caesar was killed on 15 March 44 BC in Rome.", [("15 March 44 BC", "BC0044-03-15")]),
    ("In 480 people came.", []),  # before any year before Christ, a number is a number
])
def test_years_of_an_era_are_written_as_timex3_writes_them(text, expected):
    assert [(t.text, t.value) for t in tag(text, "2025-09-12")] == expected


@pytest.mark.parametrize("text, expected", [
    ("Athens won in 490 BC. Darius died four years later, and ten years earlier he had taken Babylon.",
     [("490 BC", "BC0490"), ("four years later", "BC0486"), ("ten years earlier", "BC0496")]),
    # across into our era there is no year 0; days and months have no calendar date before Christ
    ("Athens won in 490 BC. 500 years later, Rome ruled.", [("490 BC", "BC0490"), ("500 years later", "0011")]),
    ("Athens won in 490 BC. Five hundred years later, Rome ruled.",
     [("490 BC", "BC0490"), ("Five hundred years later", "0011")]),
    ("Athens won in 490 BC. Two days later, the army left.", [("490 BC", "BC0490"), ("Two days", "P2D")]),
])
def test_a_history_counts_years_before_christ_down(text, expected):
    assert [(t.text, t.value) for t in tag(text, "2025-09-12", "narrative")] == expected


def test_the_cli_takes_the_genre(tmp_path):
    path = tmp_path / "history.txt"
    path.write_text("The war began in 1920. On April 24, the army attacked.\n", encoding="utf-8")
    runner = CliRunner()
    narrative = runner.invoke(main, ["timex", str(path), "--dct", "2009-05-01", "--genre", "narrative"])
    news = runner.invoke(main, ["timex", str(path), "--dct", "2009-05-01", "--genre", "news"])
    assert narrative.exit_code == 0 and news.exit_code == 0
    assert '"1920-04-24"' in narrative.output and '"2009-04-24"' in news.output
    bad = runner.invoke(main, ["timex", str(path), "--dct", "2009-05-01", "--genre", "poem"])
    assert bad.exit_code == 2 and "poem" in bad.output


MONTHS = ["January", "February", "March", "April", "June", "July", "August", "September", "October",
          "November", "December"]
QUOTES = [('"', '"'), ("\u201c", "\u201d"), ("``", "''")]


@settings(max_examples=60, deadline=None)
@given(story=st.integers(1900, 1950), quoted=st.integers(1700, 1899), month=st.sampled_from(MONTHS),
       day=st.integers(1, 28), marks=st.sampled_from(QUOTES), genre=st.sampled_from([None, "narrative", "news"]),
       closed=st.booleans())
def test_a_passage_without_a_date_never_borrows_one_from_another_paragraphs_quotation(
        story, quoted, month, day, marks, genre, closed):
    opening, closing = marks
    quote = f'{opening}On {month} {day}, {quoted} my grandfather crossed the river{closing if closed else ""}'
    text = (f"The war began in {story}. The armies met in {story} and in {story + 1}, "
            f"and the treaty of {story + 2} ended it; by {story + 3} and {story + 4} the "
            f"borders held until {story + 5}.\n\n"
            f"The general wrote in {story + 1}: {quote}, he said.\n\n"
            f"In {month}, the army retreated across the plain.")
    last = [t for t in tag(text, "2009-12-19", genre) if t.start >= text.rindex("\n\n")]
    assert [t.text for t in last] == [month]
    assert not last[0].value.startswith(str(quoted))


@pytest.mark.parametrize("text, expected", [
    ("Fighting raged in the east from 2014 to 2016, officials said.",
     [("2014-01-01", "2016-12-31", "year", "2014 to 2016")]),
    ("The bloc fell apart in 1989-91.", [("1989-01-01", "1991-12-31", "year", "1989-91")]),
    ("The army held the city between June and August 1944.",
     [("1944-06-01", "1944-08-31", "month", "June and August 1944")]),
    ("The fair ran March 3-5 in Vilnius.", [("2025-03-03", "2025-03-05", "day", "March 3-5")]),
    # back-to-back periods joined by "and" are one stretch
    ("The war was fought in 1919 and 1920.", [("1919-01-01", "1920-12-31", "year", "1919 and 1920")]),
    ("Units attacked in late 1919 and early 1920.", [("1919-01-01", "1920-12-31", "year", "late 1919 and early 1920")]),
    # two dates that are no period stay two events
    ("He visited Vilnius in 2015 and Riga in 2018.",
     [("2015-01-01", "2015-12-31", "year", "2015"), ("2018-01-01", "2018-12-31", "year", "2018")]),
])
def test_a_period_is_one_event_spanning_its_ends(text, expected):
    from timeline.extract import extract_events
    from timeline.read import article_from_text

    records = extract_events(article_from_text(text, published="2025-09-12", name="periods"))
    got = [(r["date"].isoformat(), r["end"].isoformat(), r["granularity"], r["date_text"]) for r in records]
    assert got == expected


def test_each_date_of_a_list_titles_its_event_without_the_others():
    from timeline.extract import extract_events
    from timeline.read import article_from_text

    records = extract_events(article_from_text("Lithuania closed the crossing in 2015, 2018 and 2021.",
                                               published="2025-09-12", name="list"))
    assert [(r["timex"], r["title"]) for r in records] == [
        ("2015", "Lithuania closed the crossing"), ("2018", "Lithuania closed the crossing"),
        ("2021", "Lithuania closed the crossing")]


def test_a_period_is_a_span_in_timelinejs_and_a_bar_on_the_timeline():
    from timeline import parse_articles
    from timeline.export import to_timelinejs
    from timeline.figures import timeline_figure
    from timeline.read import article_from_text

    frame = parse_articles([article_from_text("Fighting raged in the east from 2014 to 2016, officials said.",
                                              published="2025-09-12", name="war")])
    slide = to_timelinejs(frame)["events"][0]
    assert slide["start_date"] == {"year": 2014} and slide["end_date"] == {"year": 2016}
    bars = [t for t in timeline_figure(frame).to_dict()["data"] if t.get("type") == "bar"]
    assert bars and bars[0]["base"][0].startswith("2014-01-01")


@pytest.mark.parametrize("text, duration, reaches", [
    ("He was jailed in 2021. A year later, he was freed.", ("A year", "P1Y"), ("A year later", "2022")),
    ("Police held him on Monday. Three days later he was freed.", ("Three days", "P3D"),
     ("Three days later", "2025-09-11")),
    ("He died a month after the crash.", ("a month", "P1M"), None),  # counted from an event: anchors
    ("The season started about a month earlier than usual.", ("a month", "P1M"), None),  # a comparison
])
def test_news_marks_an_amount_counted_from_a_date_as_a_duration_and_keeps_the_date_for_events(
        text, duration, reaches):
    found = [t for t in tag(text, "2025-09-12") if t.type == "DURATION"]
    assert [(t.text, t.value) for t in found] == [duration]
    assert "as_date" not in found[0].to_dict()
    got = found[0].as_date
    assert (got.text, got.value) == reaches if reaches else got is None


def test_a_history_counts_an_amount_later_as_the_date_it_reaches():
    text = HISTORY.format(extra="\n\nOn June 3, the city fell. Twelve days later the king fled.")
    assert values(text)["Twelve days later"] == "1940-06-15"


@pytest.mark.parametrize("text, expected", [
    ("It began in 10000 BC.", []),  # years of five digits are no years the tagger reads
    ("The plan for 9999-10000 failed.", []),
    ("Prices of 2030-2010 and 1998-02 and 1700-2099.", []),
    ("It began in 1 BC. The following year, it ended.", [("1 BC", "BC0001"), ("The following year", "0001")]),
    ("In 9999 BC, the following year came.", [("9999 BC", "BC9999"), ("the following year", "BC9998")]),
])
@pytest.mark.parametrize("dct", ["0001-01-02", "2025-09-12", "9999-12-30"])
def test_absurd_and_extreme_years_get_a_sensible_reading_or_none(text, expected, dct):
    assert [(t.text, t.value) for t in tag(text, dct, "narrative")] == expected


def test_a_history_without_a_publication_date_resolves_what_its_own_dates_allow():
    from timeline.extract import extract_events
    from timeline.read import article_from_text

    text = HISTORY.format(extra="\n\nOn June 3, the city fell. Two days later the king fled. On Friday, it rained.")
    records = extract_events(article_from_text(text, name="no date"))
    dated = {r["date_text"]: r["timex"] for r in records if r["dated"]}
    assert dated["April 24"] == "1920-04-24" and dated["June 3"] == "1940-06-03"
    assert dated["Two days later"] == "1940-06-05"
