"""The words the event extractor reads, from `timeline/lang/<code>/events.yaml`, checked and
compiled once (see that file for what each entry means)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from timeline.errors import DataError
from timeline.lang import current, layered, months, upper_class

BEFORE_REACH = 40
"""Patterns matched just before a position (ending in `$`: `naming`, `determiner_before`)
are looked for in this many characters before it, not in all the text before it (once per
name or date, that cost the square of a sentence's length); their repetitions are bounded
in events.yaml so that a match fits."""


@dataclass(frozen=True)
class EventWords:
    """A language's event words, as the extractor applies them."""

    # actors
    role: re.Pattern
    name: re.Pattern
    connectors: frozenset[str]
    organisation: re.Pattern
    agencies: frozenset[str]
    not_actors: frozenset[str]
    compass: frozenset[str]
    us_states: frozenset[str]
    not_actor_ending: re.Pattern
    not_a_name: re.Pattern
    named_thing: re.Pattern
    naming: re.Pattern
    speech_verb: re.Pattern
    subject_pronoun: re.Pattern
    group_pronoun: re.Pattern  # "it", "they": a speaker that is no one person ("the ministry said it ...")
    group_pronoun_after_speech: re.Pattern  # "said (today) (that) it ": the pronoun stands for the speaker
    dummy_pronoun: re.Pattern  # "it was a great day": an "it" that stands for no one
    title_leading_adverbs: re.Pattern
    title_aside_participle: re.Pattern
    names_joined: re.Pattern  # "and ", at a clause's start: it joins a name to the one before
    names_joined_before_name: re.Pattern  # " and " before a capital: two names, maybe not two clauses
    knows_verbs: bool  # the language's own file names its verbs (else English's would be read)
    person_relatives: frozenset[str]  # "who": stands for a person (see events.yaml)
    antecedent_stops: frozenset[str]
    antecedent_openers: frozenset[str]
    verb_coordinator: re.Pattern  # "and", "but" anywhere
    verb_coordinator_before: re.Pattern  # "and ", "but " ending the text before a clause
    verb_coordinator_start: re.Pattern  # ... or opening the clause
    plural_verbs: frozenset[str]
    date_trailer: re.Pattern  # "or so" after a date: it leaves the title with the date
    person_pronoun: re.Pattern
    month_words: frozenset[str]
    # titles
    clause_break: re.Pattern
    attribution: re.Pattern
    attribution_end: re.Pattern
    attribution_opening: re.Pattern
    attribution_verbs: re.Pattern
    attribution_objects: frozenset[str]
    title_never_ends: frozenset[str]
    lead_words: re.Pattern
    date_preposition: re.Pattern
    relative: re.Pattern
    not_in_person_names: frozenset[str]
    determiner_before: re.Pattern
    possessive_after: re.Pattern
    scene_opening: re.Pattern
    finite_verb: re.Pattern
    whose: re.Pattern
    # dates from other events
    anchor: re.Pattern
    anchor_amounts: dict[str, int]
    anchor_what_end: re.Pattern
    anchor_relation: re.Pattern
    what_was_said: re.Pattern
    definite: re.Pattern
    event_nouns: dict[str, re.Pattern]
    any_event_noun: re.Pattern  # the stem of any event noun: where none is, no noun is asked
    named_event: re.Pattern
    of_after: re.Pattern
    # tense, speech and plans
    reporting: re.Pattern
    plan_words: re.Pattern
    baseline: re.Pattern
    bound_before: re.Pattern
    saying_before: re.Pattern
    saying_after: re.Pattern
    period_joiner: re.Pattern
    period_and: re.Pattern
    period_opener: re.Pattern
    date_coordination: re.Pattern
    title_cut_before: frozenset[str]
    title_keeps_date_after: re.Pattern
    title_aside: re.Pattern
    past_verb: re.Pattern
    not_simple_past: re.Pattern
    said: re.Pattern
    says_now: re.Pattern
    plan: re.Pattern
    perfect_or_modal: re.Pattern
    and_before: re.Pattern
    market_move: re.Pattern


def _words(res, key: str) -> str:
    """The entry's words (regex-escaped) as one alternation."""
    return "|".join(re.escape(w) for w in res.words(key))


def _alternatives(res, key: str) -> str:
    """The entry's alternatives (each a regular expression) as one alternation."""
    return "|".join(res.check_pattern(a, f"{key}: {a!r}") for a in res.words(key))


def has_verb(text: str, w: EventWords) -> bool:
    """Whether `text` holds a finite or a past verb of the language of `w`."""
    return bool(w.finite_verb.search(text) or w.past_verb.search(text))


def words(lang: str | None = None) -> EventWords:
    """The event words of `lang` (default: the language being read, `timeline.lang.current`):
    its events.yaml over the English one (`timeline.lang.layered`: what the language's file
    leaves out is English's), read and compiled once; DataError naming the file and the
    entry for one that is malformed."""
    return _event_words(lang or current())


@lru_cache(maxsize=None)
def _event_words(lang: str) -> EventWords:
    res = layered("events", lang)
    i = re.I

    def p(key: str, flags: int = 0) -> re.Pattern:
        return re.compile(res.pattern(key), flags)

    def word_set(key: str) -> frozenset[str]:
        return frozenset(res.words(key))

    def bounded(key: str, flags: int = 0, alternatives: bool = True) -> re.Pattern:
        body = _alternatives(res, key) if alternatives else _words(res, key)
        return re.compile(rf"\b(?:{body})\b", flags)

    amounts = res.mapping("anchor_amounts", int)
    return EventWords(
        role=re.compile(rf"^(?:(?:{_words(res, 'roles')})\.?\s+)+", i),
        # a name's words start with a capital of any alphabet ("Łukaszenka", "Статкевич")
        name=re.compile(rf"\b[{upper_class()}][\w'\u2019-]*(?:\s+(?:[{upper_class()}][\w'\u2019-]*|"
                        + _words(res, "name_connectors") + r"))*\b"),
        connectors=word_set("name_connectors"),
        organisation=bounded("organisation_words", alternatives=False),
        agencies=word_set("agencies"), not_actors=word_set("not_actors"), compass=word_set("compass"),
        us_states=word_set("us_states"), not_actor_ending=bounded("not_actor_endings", alternatives=False),
        not_a_name=p("not_a_name"), named_thing=p("named_thing", i), naming=p("naming", i),
        speech_verb=bounded("speech_verbs", alternatives=False),
        subject_pronoun=re.compile(rf"^(?:{_words(res, 'subject_pronouns')})\b", i),
        group_pronoun=re.compile(rf"^(?:{_words(res, 'group_pronouns')})\b", i),
        group_pronoun_after_speech=p("group_pronoun_after_speech"), dummy_pronoun=p("dummy_pronoun", i),
        title_leading_adverbs=p("title_leading_adverbs"), title_aside_participle=p("title_aside_participle"),
        names_joined=re.compile(rf"(?:{_words(res, 'names_joined_by')})\s", i),
        names_joined_before_name=re.compile(rf"\s+(?:{_words(res, 'names_joined_by')})\s+(?=[{upper_class()}])"),
        knows_verbs="finite_verb" in res.data or "past_verbs" in res.data, date_trailer=p("date_trailer", i),
        **_title_subject_words(res),
        person_pronoun=bounded("person_pronouns", i, alternatives=False),
        month_words=frozenset(months(lang)),
        clause_break=p("clause_break"), attribution=_attribution(res), attribution_end=p("attribution_end", i),
        attribution_opening=re.compile(rf"^(?:{res.pattern('attribution_opening')})", i),
        attribution_verbs=bounded("attribution_verbs", i, alternatives=False),
        lead_words=re.compile(rf"^(?:{_words(res, 'lead_words')})\s+", i),
        date_preposition=p("date_preposition", i),
        relative=re.compile(rf"^(?:{_words(res, 'relative_pronouns')})\s+", i),
        not_in_person_names=frozenset(w.casefold() for w in res.words("not_in_person_names")),
        determiner_before=p("determiner_before"), possessive_after=p("possessive_after"),
        scene_opening=re.compile(rf"(?:{_words(res, 'scene_prepositions')})\b", i),
        finite_verb=p("finite_verb"), whose=p("whose", i),
        anchor=p("anchor", i), anchor_amounts=dict(amounts), anchor_what_end=p("anchor_what_end"),
        anchor_relation=p("anchor_relation"), what_was_said=p("what_was_said"), definite=p("definite", i),
        **_event_noun_words(res), of_after=p("of_after"),
        reporting=bounded("reporting", i), plan_words=bounded("plan_words", i), baseline=p("baseline", i),
        bound_before=p("bound_before", i), saying_before=p("saying_before", i), saying_after=p("saying_after", i),
        past_verb=bounded("past_verbs"), not_simple_past=p("not_simple_past", i), said=bounded("said"),
        says_now=bounded("says_now"), plan=p("plan", i), perfect_or_modal=p("perfect_or_modal", i),
        and_before=p("and_before"), market_move=p("market_move"),
        period_joiner=p("period_joiner", i), period_and=p("period_and", i), period_opener=p("period_opener", i),
        date_coordination=p("date_coordination", i), title_cut_before=word_set("title_cut_before"),
        title_keeps_date_after=p("title_keeps_date_after", i),
        title_aside=p("title_aside", i),
    )


def _event_noun_words(res) -> dict:
    """The event nouns, each with the pattern of its stems; one pattern of every stem (where
    none is, no noun is asked); the named_event pattern."""
    nouns = res.mapping("event_nouns", str)
    every = "|".join(f"(?:{stem})" for stem in nouns.values())
    return dict(
        event_nouns={n: re.compile(rf"\b(?:{res.check_pattern(stem, f'event_nouns: {n}')})", re.I)
                     for n, stem in nouns.items()},
        any_event_noun=re.compile(res.check_pattern(rf"\b(?:{every})", "event_nouns (all in one)"), re.I),
        named_event=_named_event(res, nouns))


_NEVER = re.compile(r"(?!)")


def _title_subject_words(res) -> dict:
    """The words titles take their subject and their end from (see events.yaml): the
    language's own only, none where its file names none (English words would read French
    "but", a goal, as a conjunction), case-folded; the coordinators as patterns."""
    def own(key: str) -> tuple[str, ...]:
        return tuple(x.casefold() for x in res.words(key)) if key in res.data else ()

    coordinators = "|".join(map(re.escape, own("verb_coordinators")))
    return dict(
        person_relatives=frozenset(own("person_relatives")), antecedent_stops=frozenset(own("antecedent_stops")),
        antecedent_openers=frozenset(own("antecedent_openers")), plural_verbs=frozenset(own("plural_verbs")),
        attribution_objects=frozenset(own("attribution_objects")),
        title_never_ends=frozenset(res.words("title_never_ends")) if "title_never_ends" in res.data else frozenset(),
        verb_coordinator=re.compile(rf"\b(?:{coordinators})\b", re.I) if coordinators else _NEVER,
        verb_coordinator_before=re.compile(rf"\b(?:{coordinators})\s*$", re.I) if coordinators else _NEVER,
        verb_coordinator_start=re.compile(rf"(?:{coordinators})\s", re.I) if coordinators else _NEVER)


def _attribution(res) -> re.Pattern:
    """The attribution pattern: its lead and end (the clause's end), or its opening at the start."""
    lead, end, opening = (res.pattern(f"attribution_{part}") for part in ("lead", "end", "opening"))
    return re.compile(f"(?:{lead}{end})|^(?:{opening})", re.I)


def _named_event(res, nouns: dict[str, str]) -> re.Pattern:
    """The named_event pattern with its {event_nouns} filled in."""
    template = res.raw("named_event")
    if not isinstance(template, str) or "{event_nouns}" not in template:
        raise DataError(f"{res.path}: named_event: expected a pattern holding {{event_nouns}}")
    return re.compile(res.check_pattern(template.replace("{event_nouns}", "|".join(nouns)), "named_event"))
