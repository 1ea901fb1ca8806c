"""Sentence boundaries: news abbreviations and quotes do not cut a sentence, stops do."""
import pytest

from timeline.lang import resource
from timeline.read.sentences import split


def sentences(text):
    return [text[s:e] for s, e in split(text)]


@pytest.mark.parametrize("text, expected", [
    ("Belarus freed 52 prisoners. They headed to Lithuania.",
     ["Belarus freed 52 prisoners.", "They headed to Lithuania."]),
    ("Poland closed its crossings on Sept. 12 and reopened them.",
     ["Poland closed its crossings on Sept. 12 and reopened them."]),
    ("Mr. Coale met Lukashenko. U.S. officials said so.",
     ["Mr. Coale met Lukashenko.", "U.S. officials said so."]),
    ("\u201cWe welcome their release.\u201d Tsikhanouskaya said more.",
     ["\u201cWe welcome their release.\u201d", "Tsikhanouskaya said more."]),
    ("He said: stay calm. and then left.", ["He said: stay calm. and then left."]),
    ("Headline without a stop\n\nVILNIUS: Belarus freed prisoners.",
     ["Headline without a stop", "VILNIUS: Belarus freed prisoners."]),
    ("Talks with the U.S. ended. Nothing changed.", ["Talks with the U.S. ended.", "Nothing changed."]),
    ("It was a bomb, said a U.S. Embassy official in Nairobi.", ["It was a bomb, said a U.S. Embassy official in Nairobi."]),
    ("Aid came from the U.S. The talks went on.", ["Aid came from the U.S.", "The talks went on."]),
    ("A week after the Roe vs. Wade decision, a bomb went off.", ["A week after the Roe vs. Wade decision, a bomb went off."]),
    ("Mr. Schwarz will succeed Daniel P. Davison on Feb. 1.", ["Mr. Schwarz will succeed Daniel P. Davison on Feb. 1."]),
    ("He backed Plan B. The board did not.", ["He backed Plan B.", "The board did not."]),
])
def test_sentences_end_where_a_reader_would_end_them(text, expected):
    assert sentences(text) == expected


def test_spans_are_trimmed_offsets_into_the_text():
    text = "  One sentence here.   Another one.  "
    for start, end in split(text):
        assert text[start:end] == text[start:end].strip() and end > start


@pytest.mark.parametrize("example", resource("sentences").words("examples"))
def test_every_example_of_the_sentence_words_splits_where_it_says(example):
    # "A | B" in lang/en/sentences.yaml: two sentences, A and B
    parts = [p.strip() for p in example.split("|")]
    text = " ".join(parts)
    assert [text[s:e] for s, e in split(text)] == parts
