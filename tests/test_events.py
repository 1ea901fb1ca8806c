"""Articles into events: the seed's events, the corpus's gold events, and what is not an event."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from timeline.extract import CATEGORIES, categorise, extract, extract_events, find_actors, make_title
from timeline.read import article_from_text, read_path

ROOT = Path(__file__).resolve().parents[1]
SEED = next((ROOT / "seeds").glob("*.txt"))
CORPUS = ROOT / "tests" / "corpus"


@pytest.fixture(scope="module")
def seed_events() -> list[dict]:
    return extract_events(read_path(SEED)[0])


def dated_by_sentence(text: str, published: str) -> dict[str, str]:
    """{evidence sentence: timex} of the dated events of `text` published on `published`."""
    return {e["sentence"]: e["timex"] for e in extract_events(article_from_text(text, published=published))
            if e["dated"]}


def dated(events, timex):
    return [e for e in events if e["dated"] and e["timex"] == timex]


# (timex, granularity, a phrase of the evidence sentence): the design's six and the others a
# careful reader dates.
SEED_EVENTS = [
    ("2010", "year", "ran against Lukashenko in a 2010 election"),
    ("2020", "year", "2020 pro-democracy protests"),
    ("2022", "year", "invading Ukraine in 2022"),
    ("2025-06", "month", "was freed from jail in June"),
    ("2025-08-22", "day", "as recently as August 22"),
    ("2025-09-11", "day", "Belarus freed 52 prisoners"),
    ("2025-08", "month", "conversation with Lukashenko last month"),
    ("2021", "year", "sentenced in 2021"),
    ("2022", "year", "2022 Nobel Peace Prize"),
    ("2025-09-10", "day", "Poland shot down"),
    ("2025-09-12", "day", "on the eve of joint military exercises"),
]


@pytest.mark.parametrize("timex, granularity, phrase", SEED_EVENTS)
def test_the_seed_dates_each_event_a_careful_reader_dates(seed_events, timex, granularity, phrase):
    hits = [e for e in dated(seed_events, timex) if phrase in e["sentence"]]
    assert hits, f"no {timex} event from the sentence with {phrase!r}"
    assert all(e["granularity"] == granularity for e in hits)


def test_a_year_only_event_is_never_given_a_day(seed_events):
    e = dated(seed_events, "2010")[0]
    assert (e["date"], e["end"]) == (dt.date(2010, 1, 1), dt.date(2010, 12, 31))


def test_anchored_dates_resolve_through_the_release(seed_events):
    drones = [e for e in dated(seed_events, "2025-09-10") if "drones" in e["title"]]
    exercises = [e for e in dated(seed_events, "2025-09-12") if "exercises" in e["title"]]
    assert drones and drones[0]["category"] == "military"
    assert exercises and exercises[0]["date_text"] == "on the eve"


def test_one_sentence_can_hold_two_events_at_two_dates(seed_events):
    sentence = [e for e in seed_events if "2022 Nobel Peace Prize" in e["sentence"]]
    assert {e["timex"] for e in sentence if e["dated"]} == {"2022", "2020"}
    assert len({e["event_id"] for e in sentence}) == len(sentence)


def test_no_event_is_dated_from_a_number_that_is_not_a_date(seed_events):
    values = {e["timex"] for e in seed_events if e["dated"]}
    for not_a_date in ("52", "1952", "33", "1933", "1300", "1400", "14", "4", "2048", "15"):
        assert not_a_date not in values
    assert all(e["timex"][:4] in {"2010", "2020", "2021", "2022", "2025"} for e in seed_events if e["dated"])


def test_a_present_statement_is_not_dated_by_an_event_reckoned_onto_the_publication_day(seed_events):
    # The exercises start on 12 September only by reckoning ("on the eve of"); the text never
    # tells that day as its own, so "Lukashenko says ..." stays undated.
    says = [e for e in seed_events if e["sentence"].startswith("Lukashenko says there are no political prisoners")]
    assert says and not any(e["dated"] for e in says)


def test_the_publication_footer_is_not_an_event(seed_events):
    assert not any("Published in Dawn" in e["sentence"] for e in seed_events)
    assert not dated(seed_events, "2025-09-12") or all("eve" in e["date_text"] for e in dated(seed_events, "2025-09-12"))


def test_titles_name_who_did_what_without_role_titles(seed_events):
    release = [e for e in dated(seed_events, "2025-09-11") if "freed 52" in e["sentence"]][0]
    assert release["title"].startswith("Belarus freed 52 prisoners")
    assert release["category"] == "release"
    assert "Donald Trump" in release["actors"]
    assert not any(a.startswith(("US President", "President")) for e in seed_events for a in e["actors"])
    election = dated(seed_events, "2010")[0]
    assert election["title"].startswith("Statkevich ran against Lukashenko")
    assert election["category"] == "election"


def test_the_no_mans_zone_is_placed_at_the_medininkai_crossing_as_inferred(seed_events):
    zone = [e for e in seed_events if "no-man" in e["sentence"]]
    assert zone and zone[0]["places"][0] == "Medininkai-Kamenny Log"
    assert zone[0]["place_inferred"] is True
    assert zone[0]["lat"] == pytest.approx(54.53, abs=0.05)


def test_event_ids_are_stable_across_reparses():
    a = read_path(SEED)[0]
    assert [e["event_id"] for e in extract_events(a)] == [e["event_id"] for e in extract_events(read_path(SEED)[0])]


def test_evidence_offsets_point_at_the_sentence(seed_events):
    text = read_path(SEED)[0].text
    for e in seed_events:
        assert text[e["start_char"]:e["end_char"]] == e["sentence"]


def test_without_a_publication_date_relative_dates_stay_unresolved():
    a = article_from_text("Belarus freed 52 prisoners on Thursday. Statkevich ran in a 2010 election.")
    events = extract_events(a)
    assert [e["timex"] for e in events if e["dated"]] == ["2010"]
    thursday = [e for e in events if not e["dated"] and "Thursday" in e["sentence"]]
    assert thursday and thursday[0]["date_text"] == "Thursday"


def test_a_baseline_of_a_comparison_is_not_an_event():
    a = article_from_text("Crossings rose to 4,000 in 2021, 50 times the number for all of 2020.",
                          published="2025-10-14")
    assert [e["timex"] for e in extract_events(a) if e["dated"]] == ["2021"]


@pytest.mark.parametrize("clause, expected", [
    ("Belarus freed 52 prisoners", "release"),
    ("a journalist sentenced in 2021 to 15 years", "legal"),
    ("the EU imposed new sanctions on Belarus", "sanctions"),
    ("Poland shot down Russian drones", "military"),
    ("ran against Lukashenko in a 2010 election", "election"),
    ("a leader of the 2020 pro-democracy protests", "protest"),
    ("co-winner of the 2022 Nobel Peace Prize", "award"),
    ("the weather was mild", "other"),
])
def test_categories_follow_the_clause(clause, expected):
    assert categorise(clause) == expected
    assert expected in CATEGORIES


def test_actors_lose_their_role_titles_and_surnames_find_their_full_names():
    known: dict[str, str] = {}
    first = find_actors("Trump had urged Belarusian President Alexander Lukashenko to act.", set(), known)
    later = find_actors("It was a gesture, Lukashenko said.", set(), known)
    assert ("Alexander Lukashenko" in [n for n, _ in first])
    assert [n for n, _ in later] == ["Alexander Lukashenko"]


def test_a_language_is_no_actor_and_a_first_name_alone_is_the_person_named_before():
    known: dict[str, str] = {}
    find_actors("US President Donald Trump wrote to Alexander Lukashenko.", set(), known)
    later = find_actors("Earlier, Coale passed on a letter in English, signed \u201cDonald\u201d.", set(), known)
    assert [n for n, _ in later] == ["Coale", "Donald Trump"]


def test_the_speaker_of_a_dated_statement_is_its_actor_not_a_name_in_an_aside(seed_events):
    row = next(e for e in seed_events if e["title"].startswith("Thursday\u2019s release covered"))
    assert row["actors"] == ["Sviatlana Tsikhanouskaya"]


PLACES = {"Minsk", "Warsaw", "Lithuanian", "Russia", "Kaliningrad", "Belarus", "Kuznica", "Grodno", "Poland"}


@pytest.mark.parametrize("sentence, actors", [
    ("Warsaw accused Minsk of engineering the crisis.", []),
    ("Representatives of Lithuanian hauliers met officials.", []),
    ("About 3,500 soldiers are taking part in the drills, codenamed Amber Shield.", []),
    ("Russia and Belarus held their Zapad-2025 military exercises.", []),
    ("It came from Belarus or Russia's Kaliningrad region.", []),
    ("Freight moves through the Kuznica-Grodno rail crossing.", []),
    ("Poland will reopen the crossing, the Interior Ministry said.", ["Interior Ministry"]),
    ("Poland will reopen it, said Polish Prime Minister Donald Tusk.", ["Donald Tusk"]),
])
def test_names_of_places_things_and_trailing_words_are_no_actors(sentence, actors):
    assert [n for n, _ in find_actors(sentence, PLACES, {})] == actors


@pytest.mark.parametrize("sentence, actors", [
    ("Truckloads rolled in while NATO-led troops and Iraqi-bound cargo waited.", []),
    ("Cilcorp Inc., Peoria, Ill., said it agreed to buy the unit.", ["Cilcorp Inc"]),
    ("Poughkeepsie Savings sold its South Carolina branches.", ["Poughkeepsie Savings"]),
    ("He turned to Martonyi, who replied: ``Silence is your answer.''", ["Martonyi"]),
    ("The mass was led by John O'Connor at St. Patrick's.", ["John O'Connor", "Patrick"]),
    ("The plan needs the Committee to agree, the Ministry said.", []),
    ("Officials said Security was tight.", []),  # the article writes "security" elsewhere
])
def test_single_words_that_cannot_be_names_are_no_actors(sentence, actors):
    common = frozenset({"security"})
    assert [n for n, _ in find_actors(sentence, {"Peoria"}, {}, common)] == actors


def test_a_title_leaves_out_the_dateline_its_sentence_starts_with():
    text = ("VILNIUS, Nov 4 (Reuters) - Lithuania will ask the European Commission to help secure "
            "the return of about 1,700 trucks held in Belarus, the Lithuanian government said on Tuesday.")
    article = article_from_text(text, published="2025-11-04")
    assert article.metadata_spans  # the dateline is metadata
    (event,) = [e for e in extract_events(article) if e["dated"]]
    assert event["timex"] == "2025-11-04"
    assert event["title"].startswith("Lithuania will ask the European Commission")
    assert event["sentence"].startswith("VILNIUS, Nov 4 (Reuters)")  # the evidence is untouched


def test_an_event_without_a_named_actor_does_not_borrow_the_last_person_named():
    text = ("Roman Protasevich was arrested in May 2021 in Minsk.\n\n"
            "Russia invaded Ukraine in February 2022.\n\n"
            "He was pardoned in May 2023.")
    events = {e["timex"]: e for e in extract_events(article_from_text(text, published="2025-09-12"))}
    assert events["2022-02"]["actors"] == []
    assert events["2023-05"]["actors"] == ["Roman Protasevich"]  # "He": the person named before


def test_a_relative_clause_title_takes_the_name_it_refers_to():
    sentence = "It was not clear why Statkevich, who ran against Lukashenko in a 2010 election, refused."
    start = sentence.index("2010")
    actors = find_actors(sentence, set(), {})
    assert make_title(sentence, start, start + 4, actors).startswith("Statkevich ran against Lukashenko")


@pytest.mark.parametrize("sentence, date_text, title", [
    ("The break came with the presidential election of August 2020.", "August 2020",
     "The break came with the presidential election"),
    ("The airport was shut for several hours on the night of Oct. 24.", "Oct. 24",
     "The airport was shut for several hours"),
])
def test_a_title_drops_the_words_that_only_led_up_to_its_date(sentence, date_text, title):
    start = sentence.index(date_text)
    assert make_title(sentence, start, start + len(date_text), []) == title


@pytest.mark.parametrize("sentence, date_text, title", [
    ("In New York Stock Exchange composite trading Friday, Aetna closed at $59.50, down 50 cents.",
     "Friday", "Aetna closed at $59.50"),
    ("During the talks in Vilnius on Thursday, the ministers agreed to reopen two crossings.",
     "Thursday", "The ministers agreed to reopen two crossings"),
    # A lead-in with its own verb tells the event itself.
    ("On Thursday Belarus freed 52 prisoners, the ministry said.", "Thursday", "Belarus freed 52 prisoners"),
])
def test_a_scene_setting_lead_in_gives_way_to_the_clause_that_says_what_happened(sentence, date_text, title):
    start = sentence.index(date_text)
    actors = find_actors(sentence, set(), {})
    assert make_title(sentence, start, start + len(date_text), actors) == title


# ---- the test corpus: recall and precision of dated events against its gold ----

def corpus_gold():
    return yaml.safe_load((CORPUS / "gold.yaml").read_text(encoding="utf-8"))


def corpus_scores() -> dict[str, int]:
    """Counts of the corpus's dated rows against its gold: `tp`/`fn` over the events with a
    date expression of their own, `inherited_tp`/`inherited_fn` over those the text dates
    through another (gold `inherited`), and `fp`: dated rows matching neither."""
    counts = dict(tp=0, fn=0, inherited_tp=0, inherited_fn=0, fp=0)
    for g in corpus_gold():
        article = read_path(CORPUS / g["file"])[g.get("item", 0)]
        events = [e for e in extract_events(article) if e["dated"]]
        used: set[int] = set()
        for kind, golds in (("", g["events"]), ("inherited_", g["inherited"])):
            for gold in golds:
                hits = [i for i, e in enumerate(events)
                        if e["timex"] == gold["timex"] and gold["evidence"] in e["sentence"]]
                counts[kind + "tp"] += bool(hits)
                counts[kind + "fn"] += not hits
                used.update(hits)
        counts["fp"] += len(events) - len(used)
    return counts


def test_the_corpus_events_reach_the_recall_and_precision_goal():
    c = corpus_scores()
    recall = c["tp"] / (c["tp"] + c["fn"])
    precision = (c["tp"] + c["inherited_tp"]) / (c["tp"] + c["inherited_tp"] + c["fp"])
    print(f"corpus events: precision {precision:.3f} recall {recall:.3f}; "
          f"dated through another event: {c['inherited_tp']} of {c['inherited_tp'] + c['inherited_fn']} ({c})")
    assert precision >= 0.9 and recall >= 0.9
    # Floor, not goal: raise it as inheritance improves, never lower it to make a change pass.
    assert c["inherited_tp"] >= INHERITED_FLOOR


INHERITED_FLOOR = 8


def test_an_event_named_again_takes_the_date_it_was_told_with():
    a = article_from_text("Terrorists bombed the embassy in Nairobi on Aug. 7.\n\n"
                          "Investigators said the bombing was planned for months.\n\n"
                          "The release of nine people was announced separately.", published="1998-08-20")
    events = extract(a)
    again = [e for e in events if "bombing was planned" in e.sentence]
    assert again and again[0].timex == "1998-08-07" and again[0].basis == "inherited"
    assert not [e for e in events if "release of nine" in e.sentence and e.timex == "1998-08-07"]


def test_what_is_told_as_part_of_a_dated_event_takes_its_date_and_nothing_else_does():
    text = ("Lithuania closed two border crossings on Tuesday. Guards turned back a line of trucks.\n\n"
            "Officials said smugglers had flown balloons across the border.\n\n"
            "Trucks waited at the border.\n\n"
            "In 2021, Lithuania accused Belarus of pushing migrants across the border. "
            "Belarus denied the accusation.\n\n"
            "The government confirmed the closure, saying \u201cwe will not reopen them soon\u201d.\n\n"
            "The border remains closed.")
    events = extract(article_from_text(text, published="2025-11-06"))
    dated = {e.sentence: e for e in events if e.dated}
    inherited = {s: (e.timex, e.date_text, e.basis) for s, e in dated.items() if e.basis == "inherited"}
    assert inherited == {
        # the same paragraph carries on the episode its date opened
        "Guards turned back a line of trucks.": ("2025-11-04", "Tuesday", "inherited"),
        "Belarus denied the accusation.": ("2021", "2021", "inherited"),
        # a statement reported in the simple past belongs to the story's day, paragraphs on,
        # whatever the tense of what it quotes
        "Officials said smugglers had flown balloons across the border.": ("2025-11-04", "Tuesday", "inherited"),
        "The government confirmed the closure, saying \u201cwe will not reopen them soon\u201d.":
            ("2025-11-04", "Tuesday", "inherited"),
    }
    # neither a past-tense sentence in another paragraph nor a present-tense state is dated
    assert "Trucks waited at the border." not in dated and "The border remains closed." not in dated


def test_a_statement_about_a_plan_is_dated_on_the_day_it_was_made():
    # The saying is the event; what it announces is later and is no date of the story's.
    text = ("Poland closed its border crossings on Tuesday.\n\n"
            "The government will reopen them next month, the interior minister said.\n\n"
            "The Lithuanian border will stay open.")
    events = [e for e in extract_events(article_from_text(text, published="2025-11-06")) if e["dated"]]
    said = sorted(e["timex"] for e in events
                  if e["sentence"] == "The government will reopen them next month, the interior minister said.")
    assert said == ["2025-11-04", "2025-12"]  # the saying, on the story's day; what it announces
    assert not any(e["sentence"] == "The Lithuanian border will stay open." for e in events)  # no one said it
    text = text.replace(" next month", "")
    dated = dated_by_sentence(text, "2025-11-06")
    assert dated["The government will reopen them, the interior minister said."] == "2025-11-04"


@pytest.mark.parametrize("day, expected", [
    ("today", "2025-11-06"),  # the text tells the publication day: what is said now is said then
    ("on Tuesday", None),  # the story's day is another: "officials say" is not dated by it
])
def test_a_statement_in_the_present_takes_the_publication_day_only_when_the_text_tells_it(day, expected):
    text = (f"Lithuania closed two border crossings {day}.\n\n"
            "Transport officials say hundreds of trucks are stranded.")
    events = extract_events(article_from_text(text, published="2025-11-06"))
    said = [e for e in events if e["sentence"].startswith("Transport officials say")]
    assert len(said) == 1
    assert (said[0]["timex"] if said[0]["dated"] else None) == expected


def test_an_attack_named_again_by_another_word_takes_its_date():
    a = article_from_text("A sniper shot Dr. Barnett Slepian in his kitchen on Oct. 23.\n\n"
                          "A task force is studying the attack on Slepian and four others.\n\n"
                          "Police made the arrest without a fight.", published="1998-11-20")
    dated = {e["sentence"]: e["timex"] for e in extract_events(a) if e["dated"]}
    assert dated["A task force is studying the attack on Slepian and four others."] == "1998-10-23"
    assert "Police made the arrest without a fight." not in dated  # no arrest was told before


def test_a_dateline_day_dates_what_is_reported_without_a_day_of_its_own():
    text = ("VILNIUS, Nov 4 (Reuters) - Lithuania's interior ministry described the border closure "
            "as a necessary step against smuggling.\n\n"
            "The ministry expressed concern about balloons crossing from Belarus.\n\n"
            "Lithuania may reopen the crossings.")
    events = extract_events(article_from_text(text, published="2025-11-05"))
    dated = [(e["start_char"], e["timex"], e["date_text"]) for e in events if e["dated"]]
    # both statements on the day the dateline gives; the possibility is no event of that day
    assert dated == [(0, "2025-11-04", "Nov 4"), (text.index("The ministry"), "2025-11-04", "Nov 4")]


def test_a_statement_reported_before_any_day_is_told_takes_the_first_day_the_story_tells():
    text = ("The Lithuanian government said the border would stay closed to trucks.\n\n"
            "Smugglers flew dozens of balloons across the border in 2024.\n\n"
            "Lithuania closed the last two crossings on Tuesday.")
    events = extract_events(article_from_text(text, published="2025-11-06"))
    dated = {e["sentence"]: e["timex"] for e in events if e["dated"]}
    assert dated == {
        "The Lithuanian government said the border would stay closed to trucks.": "2025-11-04",
        "Smugglers flew dozens of balloons across the border in 2024.": "2024",
        "Lithuania closed the last two crossings on Tuesday.": "2025-11-04",
    }
    # a day outside the week before publication is no story's day
    text = text.replace("on Tuesday", "on 2 October")
    dated = dated_by_sentence(text, "2025-11-06")
    assert "The Lithuanian government said the border would stay closed to trucks." not in dated


def test_what_follows_a_sentence_with_a_deadline_carries_on_what_was_done_not_the_deadline():
    text = ("The agency ruled on Wednesday that the boy must be returned by Jan. 14. "
            "The decision touched off protests in Miami.")
    dated = {e.sentence: e.timex for e in extract(article_from_text(text, published="2000-01-07"))
             if e.dated and e.basis == "inherited"}
    assert dated == {"The decision touched off protests in Miami.": "2000-01-05"}


def test_declining_to_comment_is_a_statement_of_the_story_day():
    text = ("Lithuania closed two border crossings on Tuesday.\n\n"
            "The Belarusian embassy declined to comment.\n\n"
            "Sales declined to 40 trucks a day.")
    dated = dated_by_sentence(text, "2025-11-06")
    assert dated["The Belarusian embassy declined to comment."] == "2025-11-04"
    assert "Sales declined to 40 trucks a day." not in dated  # a fall, not a statement


def test_the_killing_of_a_named_person_names_again_the_killing_told_of_them():
    a = article_from_text("A sniper shot Dr. Barnett Slepian in his kitchen on Oct. 23.\n\n"
                          "Prosecutors want Kopp for the killing of Dr. Barnett Slepian.\n\n"
                          "Prosecutors also looked into the killing of Dr. Garson Romalis.", published="1999-05-05")
    dated = {e["sentence"]: e["timex"] for e in extract_events(a) if e["dated"]}
    assert dated["Prosecutors want Kopp for the killing of Dr. Barnett Slepian."] == "1998-10-23"
    assert "Prosecutors also looked into the killing of Dr. Garson Romalis." not in dated  # another killing


def test_calling_something_a_quoted_name_is_a_statement_but_a_so_called_thing_is_not():
    text = ("Hungary formally joined NATO on Friday.\n\n"
            "Martonyi called Hungary's admission \"a return to her natural habitat\".\n\n"
            "Critics saw a so-called \"buffer zone\" growing.")
    dated = dated_by_sentence(text, "1999-03-13")
    assert dated["Martonyi called Hungary's admission \"a return to her natural habitat\"."] == "1999-03-12"
    assert "Critics saw a so-called \"buffer zone\" growing." not in dated


def test_a_date_reckoned_from_an_event_the_article_dated_counts_back_from_it():
    text = ("Slepian was shot dead in his kitchen on Oct. 23.\n\n"
            "A jogger saw Kopp's car near Slepian's home 10 days before the murder.\n\n"
            "Police were called two days after the funeral.")
    dated = dated_by_sentence(text, "1999-05-05")
    assert dated["A jogger saw Kopp's car near Slepian's home 10 days before the murder."] == "1998-10-13"
    text2 = ("Slepian was shot dead in his kitchen on Oct. 23.\n\n"
             "Two men showed up at Slepian's house the day after his death.")
    dated2 = dated_by_sentence(text2, "1998-11-21")
    assert dated2["Two men showed up at Slepian's house the day after his death."] == "1998-10-24"
    # no funeral was dated before: "two days after the funeral" dates nothing by it
    assert dated.get("Police were called two days after the funeral.") != "1998-10-25"


def test_a_sentence_that_names_an_event_again_does_not_retell_it_on_its_own_date():
    text = ("A sniper shot Dr. Barnett Slepian on Oct. 23.\n\n"
            "On April 8, investigators searched the site of the shooting and found a rifle.\n\n"
            "The killer buried the rifle in the days before the shooting.")
    dated = dated_by_sentence(text, "1999-05-05")
    assert dated["The killer buried the rifle in the days before the shooting."] == "1998-10-23"


def test_a_share_price_move_is_an_event_of_the_story_trading_day_but_a_sales_figure_is_not():
    text = ("Stocks fell sharply yesterday on the New York Stock Exchange.\n\n"
            "Intel eased 1/8 to 31 7/8.\n\n"
            "Coors fell $1.50 apiece to $19.125 in over-the-counter trading.\n\n"
            "Sales rose 5% to $2 million.")
    dated = dated_by_sentence(text, "1989-10-26")
    assert dated["Intel eased 1/8 to 31 7/8."] == "1989-10-25"
    assert dated["Coors fell $1.50 apiece to $19.125 in over-the-counter trading."] == "1989-10-25"
    assert "Sales rose 5% to $2 million." not in dated


@pytest.mark.parametrize("statement", [
    "The exile community called for more civil disobedience.",
    "A statement by the foreign ministry described the attacks as senseless.",
    "The minister expressed concern about the balloons.",
    "He placed the blame on the smugglers.",
    "Tusk called the smugglers -- who fly balloons from Belarus every night -- a \u201chybrid weapon\u201d.",
])
def test_reported_reactions_take_the_story_day(statement):
    text = f"Lithuania closed two border crossings on Tuesday.\n\n{statement}"
    dated = dated_by_sentence(text, "2025-11-06")
    assert dated.get(statement) == "2025-11-04"


def test_reactions_in_a_wire_story_take_its_dateline_day_over_the_earlier_day_it_reports():
    text = ("NICOSIA, August 8 (Xinhua) -- Cyprus condemned on Saturday the bomb blasts that hit "
            "two U.S. embassies on Friday.\n\n"
            "President Glafcos Clerides condemned the terrorist acts in a telegram.")
    dated = dated_by_sentence(text, "1998-08-08")
    assert dated["President Glafcos Clerides condemned the terrorist acts in a telegram."] == "1998-08-08"


def test_a_statement_about_days_to_come_is_also_an_event_of_the_day_it_was_made():
    text = ("The agency ruled on Wednesday that the boy must stay.\n\n"
            "The boy should go home by Jan. 14, the commissioner told reporters.\n\n"
            "The boy will go home by Jan. 14.")
    events = extract_events(article_from_text(text, published="2000-01-06"))
    told = sorted(e["timex"] for e in events if e["dated"] and e["sentence"].startswith("The boy should"))
    assert told == ["2000-01-05", "2000-01-14"]  # the saying, on Wednesday; the deadline
    plan = sorted(e["timex"] for e in events if e["dated"] and e["sentence"].startswith("The boy will"))
    assert plan == ["2000-01-14"]  # no one is said to say it: the plan alone


def test_a_quotation_on_its_own_goes_on_with_the_statement_just_reported():
    text = ("White House spokesman Mike McCurry said on Thursday the reports were false.\n\n"
            "\u201cWe\u2019re not going to dignify the latest leak with a response.\u201d\n\n"
            "\u201cThe border will stay closed.\u201d")
    dated = [(e["sentence"], e["timex"]) for e in extract_events(article_from_text(text, published="1998-02-06"))
             if e["dated"]]
    assert ("\u201cWe\u2019re not going to dignify the latest leak with a response.\u201d", "1998-02-05") in dated
    # the quotation after it follows a quotation, not a reported statement: no date
    assert not any(s.startswith("\u201cThe border") for s, _ in dated)


def test_a_verb_joined_to_a_perfect_statement_is_perfect_too(seed_events):
    # "Trump has said he plans to meet Lukashenko ... and described him as ...": said at
    # some time before, not on the story's day
    row = next(e for e in seed_events if e["sentence"].startswith("Trump has said he plans to meet Lukashenko"))
    assert not row["dated"]
