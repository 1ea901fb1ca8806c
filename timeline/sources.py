"""Moved to `timeline.read` (this name stays while the restructuring lands)."""
from timeline.read import *  # noqa: F401,F403
from timeline.read import __all__  # noqa: F401
from timeline.read.formats import HEADLINE_MAX_CHARS, MIN_HTML_WORDS  # noqa: F401
from timeline.read.published import DATELINE_PARAGRAPHS  # noqa: F401
