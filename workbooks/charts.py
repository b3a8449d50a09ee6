"""Native Excel charts under a sheet's table (XlsxWriter): what a declared document's Plot becomes in its workbook —
they stay charts through a LibreOffice re-save and are printed with the sheet."""
from __future__ import annotations

from dataclasses import dataclass

FONT = "等线"
COLORS = ("#2F5597", "#C55A11", "#548235", "#7F6000")
HEIGHT_ROWS = 16  # rows a chart takes on the sheet (300 px at the default row height), and a row's gap


@dataclass(frozen=True)
class SheetChart:
    """One chart of a sheet's rows first..last (0-based): categories from one column, a series per (name, column)."""

    kind: str  # column or line
    title: str
    category: int
    first: int
    last: int
    series: tuple[tuple[str, int], ...]
    percent: bool = False


def insert_charts(book, sheet, sheet_name: str, charts: tuple[SheetChart, ...], top: int, width: int) -> int:
    """Put the charts one under another from row top; return the first row after them."""
    for chart_of in charts:
        chart = book.add_chart({"type": chart_of.kind})
        number_format = "0%" if chart_of.percent else "#,##0"
        for n, (name, column) in enumerate(chart_of.series):
            color = COLORS[n % len(COLORS)]
            look = {"line": {"color": color, "width": 2.25}, "marker": {"type": "circle", "size": 5,
                                                                      "fill": {"color": color}, "border": {"color": color}}} \
                if chart_of.kind == "line" else {"fill": {"color": color}}
            chart.add_series({"name": name, **look,
                              "categories": [sheet_name, chart_of.first, chart_of.category, chart_of.last, chart_of.category],
                              "values": [sheet_name, chart_of.first, column, chart_of.last, column]})
        chart.set_title({"name": chart_of.title, "name_font": {"name": FONT, "size": 11, "bold": True}})
        chart.set_legend({"position": "bottom", "font": {"name": FONT, "size": 9}})
        chart.set_x_axis({"num_font": {"name": FONT, "size": 9}})
        chart.set_y_axis({"num_format": number_format, "min": 0, **({"max": 1} if chart_of.percent else {}),
                          "num_font": {"name": FONT, "size": 8},
                          "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
        chart.set_size({"width": width, "height": 300})
        sheet.insert_chart(top, 0, chart, {"x_offset": 4, "y_offset": 4})
        top += HEIGHT_ROWS
    return top
