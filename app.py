"""A minimal dashboard: the seed articles and the dates the tagger finds in each.

`make run` serves it on http://$HOST:$PORT (default 127.0.0.1:8050). A placeholder
until the real dashboard (timeline, map, table from the event frame) replaces it.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from dash import Dash, html

from timeline.sources import Article, read_many
from timeline.temporal import Timex, tag

SEEDS = Path(__file__).resolve().parent / "seeds"
ARTICLE_GLOBS = ("*.txt", "*.md", "*.html", "*.htm", "*.json")


def _component_id(path: Path) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", path.stem)


def _timex_table(timexes: list[Timex], table_id: str) -> html.Table:
    header = html.Tr([html.Th(h) for h in ("text", "type", "value")])
    rows = [html.Tr([html.Td(t.text), html.Td(t.type), html.Td(t.value)]) for t in timexes]
    return html.Table([html.Thead(header), html.Tbody(rows)], id=table_id)


def article_section(article: Article, cid: str) -> html.Section:
    """One article: its title, where its publication date came from and a table of its
    temporal expressions. Without a publication date only absolute dates are shown:
    relative ones are never guessed from today's date.
    """
    if article.published is None:
        timexes = absolute_timexes(article.text)
        note = "no publication date: relative expressions left unresolved"
    else:
        timexes = tag(article.text, article.published)
        note = f"published {article.published.isoformat()} (from the {article.published_from or 'caller'})"
    return html.Section([
        html.H2(article.title or article.path),
        html.P(f"{article.source} · {note} · {len(timexes)} temporal expressions", className="meta"),
        _timex_table(timexes, f"timexes-{cid}"),
    ], id=f"article-{cid}")


def absolute_timexes(text: str) -> list[Timex]:
    """The dates in `text` that do not depend on a publication date: those whose value is
    the same whatever the dct (tagged against two far-apart dcts)."""
    later = {(t.start, t.end, t.value) for t in tag(text, "2100-06-15")}
    return [t for t in tag(text, "1900-06-15") if (t.start, t.end, t.value) in later and t.type == "DATE"
            and t.value[:1].isdigit()]


def _error_section(message: str, n: int) -> html.Section:
    return html.Section([html.P(message, className="error")], id=f"error-{n}")


def create_app(seeds_dir: str | Path = SEEDS) -> Dash:
    """A Dash app listing each article in `seeds_dir` with its temporal expressions."""
    seeds_dir = Path(seeds_dir)
    paths = sorted(p for g in ARTICLE_GLOBS for p in seeds_dir.glob(g))
    articles, errors = read_many(paths)
    per_path: dict[str, int] = {}
    sections = []
    for a in articles:
        n = per_path[a.path] = per_path.get(a.path, 0) + 1
        cid = _component_id(Path(a.path)) + (f"-{n}" if n > 1 else "")  # JSON feeds hold several
        sections.append(article_section(a, cid))
    sections += [_error_section(e, n) for n, e in enumerate(errors)]
    app = Dash(__name__, title="timeline", serve_locally=True)
    app.layout = html.Main([
        html.H1("timeline: seed articles"),
        html.P(f"{len(articles)} article(s) in {seeds_dir}" if paths else f"No articles in {seeds_dir}.",
               id="seeds-summary"),
        *sections,
    ], id="seeds")
    return app


if __name__ == "__main__":
    create_app().run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "8050")))
