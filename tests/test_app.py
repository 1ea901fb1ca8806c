"""The placeholder dashboard: its layout lists each seed article with the dates found in it."""
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

# app.py sits at the top of the repository, outside the package: load it by path.
_spec = importlib.util.spec_from_file_location("app", ROOT / "app.py")
app = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(app)


def strings(component) -> list[str]:
    """Every string in a Dash component tree: children text, ids and class names."""
    if isinstance(component, str):
        return [component]
    if isinstance(component, (list, tuple)):
        return [s for c in component for s in strings(c)]
    if component is None or not hasattr(component, "to_plotly_json"):
        return []
    props = component.to_plotly_json()["props"]
    found = [str(props[k]) for k in ("id", "className") if props.get(k)]
    return found + strings(props.get("children"))


def find(component, component_id):
    """The component with id `component_id` in the tree, or None."""
    if isinstance(component, (list, tuple)):
        return next((f for c in component if (f := find(c, component_id)) is not None), None)
    if not hasattr(component, "to_plotly_json"):
        return None
    if getattr(component, "id", None) == component_id:
        return component
    return find(getattr(component, "children", None), component_id)


def table_rows(table) -> list[tuple[str, ...]]:
    body = table.children[1]
    return [tuple(cell.children for cell in tr.children) for tr in body.children]


def test_layout_lists_the_seed_article_and_its_dates():
    seed = next(SEEDS.glob("*.txt"))
    dash_app = app.create_app(SEEDS)
    assert dash_app.config.serve_locally is True
    assert f"article-{seed.stem}" in strings(dash_app.layout)
    table = find(dash_app.layout, f"timexes-{seed.stem}")
    assert table is not None
    # The seed ends "Published in Dawn, September 12th, 2025": Thursday is 11 September.
    assert ("Thursday", "DATE", "2025-09-11") in table_rows(table)
    assert ("last month", "DATE", "2025-08") in table_rows(table)


def test_each_article_gets_its_own_section_and_table(tmp_path):
    (tmp_path / "b.txt").write_text("Freed\n\nFreed on Thursday, they crossed last month.\n\nPublished: 12 September 2025\n")
    (tmp_path / "a.txt").write_text("Rain\n\nIt rained on Thursday.\n\nPublished: 1 March 2024\n")
    layout = app.create_app(tmp_path).layout
    assert ("Thursday", "DATE", "2024-02-29") in table_rows(find(layout, "timexes-a"))
    assert ("last month", "DATE", "2025-08") in table_rows(find(layout, "timexes-b"))


def test_an_article_without_a_publication_date_keeps_only_absolute_dates(tmp_path):
    (tmp_path / "u.txt").write_text("Undated\n\nHe ran in a 2010 election and was freed on Thursday.\n")
    layout = app.create_app(tmp_path).layout
    rows = table_rows(find(layout, "timexes-u"))
    assert rows == [("2010", "DATE", "2010")]  # "Thursday" is never read against today's date
    assert any("no publication date" in s for s in strings(layout))


def test_an_unreadable_article_shows_one_error_line_and_the_others_still_render(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "good.txt").write_text("Good\n\nFreed on Thursday.\n\nPublished: 12 September 2025\n")
    layout = app.create_app(tmp_path).layout
    errors = [s for s in strings(layout) if "bad.txt" in s]
    assert len(errors) == 1 and "\n" not in errors[0]
    assert ("Thursday", "DATE", "2025-09-11") in table_rows(find(layout, "timexes-good"))


def test_an_empty_folder_says_so(tmp_path):
    layout = app.create_app(tmp_path).layout
    assert any("No articles" in s for s in strings(layout))
