"""Moved to `timeline.extract.places` (this name stays while the restructuring lands)."""
from timeline.extract.places import *  # noqa: F401,F403
from timeline.extract.places import __all__  # noqa: F401
from timeline.extract.places.crossings import load_crossings as _load_crossings  # noqa: F401
from timeline.extract.places.gazetteer import _cached_gazetteer  # noqa: F401
