"""How the figures look: type, text colours, the base layout, the empty state, the order
of the categories in lanes and legends, and where the map geometry comes from.

Colours and symbols of the categories are not here: they are data, read through
`timeline.categories` (`colour`, `symbol`, `DISPLAY_ORDER`, `label`).
"""
from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go

from timeline import categories

OFFLINE_TOPOJSON_DIR: str = str(Path(__file__).resolve().parents[2] / "assets" / "topojson")
CREDIT = "Map: Natural Earth. Places: GeoNames (CC BY 4.0)."
EMPTY_MESSAGE = "No events match"

FONT_FAMILY = "Liberation Sans, Arial, Helvetica, DejaVu Sans, sans-serif"
TEXT_COLOR = "#222222"
MUTED_COLOR = "#666666"
AGGREGATE_COLOR = "#7F7F7F"  # groups of several categories (country lanes): no category's colour

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_RANK = {name: i for i, name in enumerate(categories.DISPLAY_ORDER)}
_LEGEND_RANK = 100  # plotly's default is 1000: ranked traces come before any others


def dash_graph_config() -> dict:
    """The `dcc.Graph(config=...)` dict: map geometry from the app's own `assets/`."""
    return {"topojsonURL": "/assets/topojson/", "displaylogo": False, "responsive": True}


def escape(text: str) -> str:
    """`text` with & < > escaped, so plotly shows article text as text, never as markup."""
    return str(text).translate(_ESCAPES)


def category_rank(name: str) -> int:
    """The place of category `name` in lanes and legends: its index in
    `categories.DISPLAY_ORDER`; any other name after them all."""
    return _RANK.get(name, len(_RANK))


def legend_rank(group: str) -> int:
    """The plotly `legendrank` of a legend group: 100 + its `category_rank` (groups that
    are not categories, such as the grey aggregates of country lanes, after every one)."""
    return _LEGEND_RANK + category_rank(group)


def base_layout(k: float) -> dict:
    """Template, fonts and backgrounds of every figure; `k` scales the type (1 at 900 px)."""
    return dict(
        template="plotly_white",
        font=dict(family=FONT_FAMILY, size=12 * k, color=TEXT_COLOR),
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
        hoverlabel=dict(font=dict(family=FONT_FAMILY, size=12), align="left", bgcolor="#FFFFFF"),
    )


def empty_annotation(text: str, k: float = 1.0) -> dict:
    """The annotation saying why a figure (or a cell of one) has nothing to show."""
    return dict(text=text, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5,
                font=dict(size=16 * k, color=MUTED_COLOR), name="empty-state")


def empty_figure(height: int) -> go.Figure:
    """A figure of `height` px with no axes, saying EMPTY_MESSAGE."""
    fig = go.Figure()
    fig.update_layout(base_layout(1.0), height=height, margin=dict(l=10, r=10, t=10, b=10))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(empty_annotation(EMPTY_MESSAGE))
    return fig
