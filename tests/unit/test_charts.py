"""The overview's chart by reform area: what a reader sees written on it."""
import pandas as pd

from kpi import text
from kpi.presentation import charts


def _bars():
    frame = pd.DataFrame({"name": ["Cải cách thể chế", "Cải cách tổ chức bộ máy"], "attainment": [0.985, None],
                          "status": ["near", "no_data"]})
    return charts.area_bars(frame)


def test_an_area_without_data_says_so_beside_its_empty_bar():
    """A bar of no data has no width: its label is written outside it, or a reader would see a blank row."""
    bar = _bars().data[0]
    by_name = dict(zip(bar.hovertext, zip(bar.text, bar.textposition)))
    assert by_name["Cải cách tổ chức bộ máy"] == (text.STATUS["no_data"], "outside")
    assert by_name["Cải cách thể chế"] == ("98,5% · Gần đạt", "inside")


def test_the_plan_line_label_sits_above_the_bars():
    """Above the plot area (anchored by its bottom at the top edge), so it never covers the top bar's label."""
    (label,) = [a for a in _bars().layout.annotations if a.text == "Kế hoạch 100%"]
    assert label.yref == "y domain" or label.yref == "paper"
    assert label.y == 1 and label.yanchor == "bottom"


def test_one_bar_chart_spec_decides_order_words_and_colours():
    """What the dashboard, the slides and the PDF draw: first bar on top, figure and status in words,
    the status colour, no data named as such, and an axis that reaches past the plan when a bar does."""
    chart = charts.bar_chart(["A", "B", "C"], [1.08, float("nan"), 0.5], ["met", "near", "unknown"])
    assert [b.name for b in chart.bars] == ["A", "B", "C"]
    assert [b.label for b in chart.bars] == ["108,0% · Đạt", text.STATUS["no_data"], "50,0% · Chưa có số liệu"]
    assert [b.colour for b in chart.bars] == [charts.STATUS_COLOURS[k] for k in ("met", "near", "no_data")]
    assert chart.bars[1].value is None and chart.top == 1.08 and chart.plan == 1.0
    figure = charts.area_bars(pd.DataFrame({"name": ["A", "B"], "attainment": [0.9, 1.0], "status": ["near", "met"]}))
    assert list(figure.data[0].hovertext) == ["B", "A"]  # plotly draws upwards: reversed, so A is on top
    # each name is written above its bar (an annotation just over it), not on the axis beside it
    names = {a.text: a.y for a in figure.layout.annotations if a.text in ("A", "B")}
    assert names == {"B": 0 + 0.24, "A": 1 + 0.24} and figure.layout.yaxis.showticklabels is False


def _cells():
    """Two units × two areas, one combination absent (Phòng B has no target or task in Thể chế)."""
    frame = pd.DataFrame({"name": ["Phòng A", "Phòng A", "Phòng B"], "unit_code": ["A", "A", "B"],
                          "area_name": ["Thể chế", "Công vụ", "Công vụ"],
                          "area_code": ["the_che", "cong_vu", "cong_vu"],
                          "attainment": [0.964, None, 1.0], "status": ["near", "no_data", "met"]})
    return charts.unit_area_heatmap(frame, ["Thể chế", "Công vụ"])


def test_each_heatmap_cell_says_its_figure_and_status_and_carries_its_unit_and_area():
    """One scatter point per cell of the grid, row by row (areas in the plan's order) and unit by unit: a click
    on it opens that unit × area. 96,4% shown without decimals is 96%; a cell without data says so in words."""
    cells = _cells().data[0]
    assert cells.type == "scatter" and cells.marker.symbol == "square"
    assert list(cells.customdata) == [["A", "the_che"], None, ["A", "cong_vu"], ["B", "cong_vu"]]
    assert [label.replace("<br>", " ") for label in cells.text] == [
        "96% Gần đạt", "", "Chưa có số liệu", "100% Đạt"]


def test_the_heatmap_fills_its_cells_with_the_status_colours_and_any_click_finds_a_cell():
    figure = _cells()
    fills = [shape.fillcolor for shape in figure.layout.shapes]  # the absent combination gets no rectangle
    assert fills == [charts.STATUS_COLOURS[s] for s in ("near", "no_data", "met")]
    assert figure.layout.hoverdistance == -1 and figure.layout.hovermode == "closest"
    assert list(figure.layout.yaxis.ticktext) == ["Thể chế", "Công vụ"] and figure.layout.yaxis.range == (1.5, -0.5)
