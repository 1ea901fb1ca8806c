"""Moved to `timeline.extract` (this name stays while the restructuring lands)."""
from timeline.extract import *  # noqa: F401,F403
from timeline.extract import __all__  # noqa: F401
