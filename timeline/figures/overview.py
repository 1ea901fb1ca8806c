"""The overview of an archive's store: its events a month (or a year, over a long span),
stacked by category, with the part the dashboard holds shaded. Clicking a bar chooses its
month or year (its customdata: 'first day|last day')."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from timeline import categories
from timeline.figures.theme import AGGREGATE_COLOR, base_layout, empty_figure, legend_rank

MAX_MONTHS = 240
"""Months above which the overview counts years (a bar a month of a century is a hair)."""

HEIGHT = 170


def overview_figure(months: pd.DataFrame, shown: tuple[str, str] | None = None) -> go.Figure:
    """Stacked bars of `months` (month: first day, category, events; `StoreIndex.months`),
    a bar a month, or a year when they span more than MAX_MONTHS; `shown`: the first and
    last day of the events the dashboard holds, shaded. No events: the empty figure."""
    if not len(months):
        return empty_figure(HEIGHT)
    month = months["month"].to_numpy().astype("datetime64[M]")
    yearly = int(month.max().astype(np.int64) - month.min().astype(np.int64)) >= MAX_MONTHS
    unit = "Y" if yearly else "M"
    start = month.astype(f"datetime64[{unit}]")
    bins = pd.DataFrame({"start": start.astype("datetime64[D]"), "category": months["category"].to_numpy(),
                         "events": months["events"].to_numpy()}).groupby(["category", "start"], as_index=False).sum()
    last = ((bins["start"].to_numpy().astype(f"datetime64[{unit}]") + 1).astype("datetime64[D]") - 1)
    bins["last"] = last
    fig = go.Figure()
    for cat, rows in sorted(bins.groupby("category"), key=lambda kv: legend_rank(kv[0])):
        first = np.datetime_as_string(rows["start"].to_numpy(), unit="D")
        ends = np.datetime_as_string(rows["last"].to_numpy(), unit="D")
        fig.add_trace(go.Bar(
            x=first.tolist(), y=rows["events"].tolist(), name=categories.label(cat) if cat else "(none)",
            marker_color=categories.colour(cat) if cat else AGGREGATE_COLOR, legendrank=legend_rank(cat),
            customdata=[f"{a}|{b}" for a, b in zip(first, ends)], xperiod="M12" if yearly else "M1",
            xperiodalignment="start",
            hovertemplate="%{y:,} events · %{x|" + ("%Y" if yearly else "%B %Y") + "}<extra>%{fullData.name}</extra>",
        ))
    layout = dict(base_layout(1.0), height=HEIGHT, barmode="stack", bargap=0.1, showlegend=False,
                  margin=dict(l=10, r=10, t=10, b=10), dragmode="zoom", uirevision="overview",
                  yaxis=dict(title=None, fixedrange=True, rangemode="tozero", automargin=True),
                  xaxis=dict(type="date", automargin=True))
    if shown and shown[0] and shown[1]:
        layout["shapes"] = [dict(type="rect", xref="x", yref="paper", x0=shown[0], x1=shown[1], y0=0, y1=1,
                                 fillcolor="rgba(31,119,180,0.12)", line=dict(width=1, color="rgba(31,119,180,0.6)"),
                                 layer="below")]
    fig.update_layout(layout)
    return fig


def chosen_range(click) -> tuple[str, str] | None:
    """(first day, last day) of the bar a click on the overview names, or None."""
    try:
        first, last = str(click["points"][0]["customdata"]).split("|")
    except (TypeError, KeyError, IndexError, ValueError):
        return None
    try:
        np.datetime64(first, "D"), np.datetime64(last, "D")
    except ValueError:
        return None
    return first, last
