"""Plotly figures shared by the pages and the exports. Status colours are colour-blind safe and every
bar also carries its text label, so nothing depends on colour alone (or on colour print)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from kpi import text

# Okabe–Ito derived: readable for the common colour-vision deficiencies and distinct in grey.
STATUS_COLOURS = {"met": "#009E73", "near": "#E69F00", "below": "#D55E00", "no_data": "#BBBBBB",
                  "insufficient": "#DDDDDD"}  # no verdict colour: too few reports (kpi/rules/status.py)
FONT = dict(family="Source Sans Pro, DejaVu Sans, sans-serif", size=14)


def _layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=10, r=30, t=30, b=10), font=FONT, showlegend=False,
                      plot_bgcolor="white", separators=",.")
    return fig


@dataclass(frozen=True)
class Bar:
    name: str
    value: float | None   # a fraction (1.0 = the plan); None: no data
    status: str           # a STATUS_COLOURS key
    figure: str           # the value as the dashboard writes it ("98,5%"); "" without data
    label: str            # figure and status in words ("98,5% · Gần đạt"), or "Chưa có số liệu"

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self.status]


@dataclass(frozen=True)
class BarChart:
    """What a chart of attainment bars shows, whoever draws it (plotly here, a native PowerPoint chart, PDF
    lines): the bars top to bottom, their figures, words and colours, and the plan line at 100%."""
    bars: tuple[Bar, ...]
    plan: float = 1.0
    plan_label: str = text.SNAPSHOT["plan_line"]

    @property
    def top(self) -> float:
        """The value axis's end: the plan, or the largest bar beyond it."""
        return max([self.plan, *[b.value for b in self.bars if b.value is not None]])


def bar_chart(names, values, statuses) -> BarChart:
    """The one owner of the bar charts' decisions: order (as given, first on top), labels and colours.
    `values` are fractions (None or NaN: no data); `statuses` are STATUS_COLOURS keys (others: no data)."""
    bars = []
    for name, value, status in zip(names, values, statuses):
        value = None if value is None or pd.isna(value) else float(value)
        status = status if status in STATUS_COLOURS else "no_data"
        figure = text.format_percent(value) if value is not None else ""
        label = (text.EXPORT_PDF["bar_label"].format(value=figure, status=text.STATUS[status]) if value is not None
                 else text.STATUS["no_data"])
        bars.append(Bar(str(name), value, status, figure, label))
    return BarChart(tuple(bars))


def area_bar_chart(by_area: pd.DataFrame, status: str = "status") -> BarChart:
    """Attainment by reform area (the dashboard's `by_area` frame; `status`: its column of status keys)."""
    return bar_chart(by_area["name"], by_area["attainment"], by_area[status])


def area_bars(by_area: pd.DataFrame) -> go.Figure:
    """Attainment by reform area, the plan (100%) marked; each bar labelled with its figure and status, and
    carrying its area's code (`customdata`): a click on it opens that area (pages/_widgets.py)."""
    chart = area_bar_chart(by_area)
    bars = chart.bars[::-1]  # plotly draws the first category at the bottom
    codes = list(by_area["area_code"])[::-1] if "area_code" in by_area else None
    # A bar of no data has no width, so its "Chưa có số liệu" is written beside it, not inside (unseen), and
    # may run past the axis in a narrow column (cliponaxis=False).
    # Each area's name is written above its bar, across the chart's whole width, not beside it on the axis: a
    # long name (up to 60 letters, on two lines on a phone's width) then never squeezes the bars.
    fig = go.Figure(go.Bar(x=[(b.value or 0) * 100 for b in bars], y=list(range(len(bars))), orientation="h",
                           text=[b.label for b in bars], width=0.44,
                           textposition=["inside" if b.value is not None else "outside" for b in bars],
                           insidetextanchor="start", textfont=dict(color="black", size=13),
                           marker_color=[b.colour for b in bars],
                           marker_line=dict(color="#333333", width=0.5), hovertext=[b.name for b in bars],
                           hovertemplate="%{hovertext}: %{text}<extra></extra>", cliponaxis=False, customdata=codes))
    for position, bar in enumerate(bars):
        fig.add_annotation(x=0, xref="paper", xanchor="left", y=position + 0.24, yanchor="bottom", align="left",
                           text=_wrapped(bar.name, 44), showarrow=False, font=dict(size=13, color="#31333F"))
    # The plan line's label sits above the plot area, so it never covers the top bar's own name.
    fig.add_vline(x=chart.plan * 100, line_dash="dash", line_color="#333333", annotation_text=chart.plan_label,
                  annotation_position="top left", annotation_yanchor="bottom", annotation_yshift=2)
    fig.update_xaxes(range=[0, 105], ticksuffix="%", gridcolor="#EEEEEE")
    fig.update_yaxes(showticklabels=False, range=[-0.5, len(bars) - 0.25], fixedrange=True)
    return _layout(fig, 60 + 80 * len(bars))


HEATMAP_ROW = 62     # px per area row: room for a cell's two lines (figure, status word)
HEATMAP_TOP = 100    # px above the grid for the units' names, wrapped on up to five lines


def _wrapped(name: str, width: int) -> str:
    """A long name on several lines (plotly's <br>), so an axis label fits beside a narrow chart."""
    import textwrap
    return "<br>".join(textwrap.wrap(name, width)) or name


def unit_area_heatmap(unit_area: pd.DataFrame, area_order: list[str]) -> go.Figure:
    """Units × areas as a grid of cells: the areas down the side in the plan's order (as the area bars above
    them), the units across the top. Each cell is coloured by its status and says its figure and its status in
    words; an empty cell: the unit has no target or task in that area.

    Drawn as scatter points over coloured rectangles, not as a plotly heatmap: Streamlit 1.67 reports no
    selection for a heatmap, but does for a scatter point. Each point carries its unit's and area's codes
    (`customdata`): a click on a cell opens that unit × area (pages/_widgets.py). Every cell of the grid has a
    point (an empty one carries no codes), and any click picks the nearest point (hoverdistance -1): the
    nearest centre of a regular grid is the cell clicked, wherever in it."""
    areas = [a for a in area_order if a in set(unit_area["area_name"])]
    units = list(dict.fromkeys(unit_area["name"]))  # the engine's order (Vietnamese, by name)
    found = {(row.name, row.area_name): row for row in unit_area.itertuples(index=False)}
    grid = [(x, y, found.get((unit, area)), unit, area) for y, area in enumerate(areas) for x, unit in enumerate(units)]
    cells = [_grid_cell(cell, unit, area) for _, _, cell, unit, area in grid]
    fig = go.Figure()
    for (x, y, cell, _, _), (_, colour, _, _) in zip(grid, cells):
        if cell is not None:  # the cell's rectangle in its status colour, edge to edge: the heatmap's look
            fig.add_shape(type="rect", x0=x - 0.48, x1=x + 0.48, y0=y - 0.46, y1=y + 0.46, layer="below",
                          fillcolor=colour, line=dict(color="#333333", width=0.5))
    labels, colours, codes, hovers = (list(column) for column in zip(*cells)) if cells else ([], [], [], [])
    fig.add_trace(go.Scatter(x=[g[0] for g in grid], y=[g[1] for g in grid], mode="markers+text", text=labels,
                             textposition="middle center", textfont=dict(color="black", size=12), customdata=codes,
                             hovertext=hovers, hovertemplate="%{hovertext}<extra></extra>",
                             marker=dict(symbol="square", size=HEATMAP_ROW - 20, color=colours, line=dict(width=0))))
    fig.update_xaxes(tickvals=list(range(len(units))), ticktext=[_wrapped(u, 10) for u in units], side="top",
                     tickangle=0, tickfont=dict(size=12), range=[-0.5, len(units) - 0.5])
    fig.update_yaxes(tickvals=list(range(len(areas))), ticktext=[_wrapped(a, 20) for a in areas],
                     tickfont=dict(size=12), range=[len(areas) - 0.5, -0.5])
    fig.update_xaxes(showgrid=False, zeroline=False, fixedrange=True)
    fig.update_yaxes(showgrid=False, zeroline=False, fixedrange=True)
    fig = _layout(fig, HEATMAP_TOP + HEATMAP_ROW * len(areas))
    fig.update_layout(margin=dict(l=10, r=10, t=HEATMAP_TOP - 10, b=10), hovermode="closest", hoverdistance=-1,
                      dragmode=False)
    return fig


def _grid_cell(cell, unit: str, area: str) -> tuple[str, str, list | None, str]:
    """(label, colour, [unit code, area code], hover text) of one cell of the unit × area grid: its figure and
    its status in words. A combination the plan does not have is blank and carries no codes."""
    if cell is None:
        return "", "white", None, ""
    stored = getattr(cell, "status", None)  # a snapshot frozen before statuses were stored: none, no words
    status = stored if stored in STATUS_COLOURS else "no_data"
    has_figure = pd.notna(cell.attainment)
    figure = text.format_percent(cell.attainment, 0) if has_figure else text.MISSING
    words = _wrapped(text.STATUS[status], 9) if stored is not None or not has_figure else ""
    codes = [cell.unit_code, cell.area_code] if hasattr(cell, "unit_code") and hasattr(cell, "area_code") else None
    label = "<br>".join(part for part in (figure if has_figure else "", words) if part)
    return label, STATUS_COLOURS[status], codes, f"{unit} · {area}: {figure} · {text.STATUS[status]}"


def trend(points: pd.DataFrame) -> go.Figure:
    """Attainment period by period (year-to-date periods, or quarters when a quarter is selected), with the plan
    line at 100%; the selected period's point is drawn larger, so the headline is visibly one of the points."""
    selected = points["selected"] if "selected" in points else pd.Series(False, index=points.index)  # old snapshots
    codes = list(points["period"]) if "period" in points else None  # a click on a point selects that period
    fig = go.Figure(go.Scatter(x=points["label"], y=points["attainment"] * 100, mode="lines+markers+text",
                               customdata=codes,
                               text=[text.format_percent(a) for a in points["attainment"]], textposition="bottom center",
                               line=dict(color="#0072B2", width=3), hovertemplate="%{x}: %{text}<extra></extra>",
                               marker=dict(size=[16 if s else 8 for s in selected], color="#0072B2",
                                           line=dict(width=[3 if s else 0 for s in selected], color="#333333")),
                               cliponaxis=False))
    fig.add_hline(y=100, line_dash="dash", line_color="#333333", annotation_text=text.SNAPSHOT["plan_line"],
                  annotation_position="top left")
    fig.update_xaxes(range=[-0.4, max(len(points) - 0.6, 0.6)], tickangle=0,  # room for the first and last labels
                     tickvals=list(points["label"]), ticktext=[_wrapped(label, 12) for label in points["label"]])
    fig.update_yaxes(range=[0, 115], ticksuffix="%", gridcolor="#EEEEEE")
    return _layout(fig, 320)


TASK_COLOURS = {"done_on_time": "#009E73", "done_late": "#56B4E9", "overdue": "#D55E00", "on_track": "#E69F00",
                "in_progress": "#E69F00", "not_started": "#999999", "dropped": "#000000", "no_data": "#BBBBBB"}
TASK_SYMBOLS = {"done_on_time": "circle", "done_late": "circle-open", "overdue": "x", "on_track": "diamond",
                "in_progress": "diamond-open", "not_started": "square-open", "dropped": "cross",
                "no_data": "square"}


def task_timeline(tasks: pd.DataFrame) -> go.Figure:
    """Tasks by due date, coloured and shaped by state (shape keeps it readable without colour)."""
    dated = tasks[tasks["due"].notna()]
    fig = go.Figure()
    for state, group in dated.groupby("state", sort=False):
        fig.add_trace(go.Scatter(
            x=group["due"], y=group["code"], mode="markers", name=text.STATUS[state],
            marker=dict(size=13, color=TASK_COLOURS[state], symbol=TASK_SYMBOLS[state],
                        line=dict(width=1.5, color=TASK_COLOURS[state])),
            customdata=group[["text", "lead"]].values,
            hovertemplate="%{y} · %{x|%d/%m/%Y}<br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(tickformat="%d/%m/%Y", gridcolor="#EEEEEE")
    fig = _layout(fig, 120 + 22 * max(len(dated), 1))
    fig.update_layout(showlegend=True, legend=dict(orientation="h", y=1.02, yanchor="bottom"))
    return fig
