"""Moved to `timeline.read.sentences` (this name stays while the restructuring lands)."""
from timeline.read.sentences import split, words  # noqa: F401

ABBREVIATIONS = words().abbreviations
