"""timeline: news articles into a sourced, dated, mapped chronology."""
from timeline.temporal import Timex, tag

__all__ = ["Timex", "tag"]
__version__ = "0.1.0"
