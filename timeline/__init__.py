"""timeline: news articles into a sourced, dated, mapped chronology."""
from timeline import schema
from timeline.temporal import Timex, tag


def parse_articles(paths_or_articles, published=None, overrides=None):
    """The event frame of articles (paths or `timeline.read.Article`s); see `timeline.parse`."""
    from timeline.parse import parse_articles as _parse_articles
    return _parse_articles(paths_or_articles, published=published, overrides=overrides)


__all__ = ["Timex", "parse_articles", "schema", "tag"]
__version__ = "0.1.0"
