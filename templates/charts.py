"""A document's declared charts (engine.document_types.Plot) drawn for its print page as inline SVG: bars or lines of
a table's columns over its category column, one chart per value of the plot's each column — the same pictures its
workbook carries as native Excel charts."""
from __future__ import annotations

from html import escape

from markupsafe import Markup

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 230, 46, 40, 26
COLORS = ("#2F5597", "#C55A11", "#548235", "#7F6000")


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def svg_chart(title: str, kind: str, categories: list[str], series: list[tuple[str, list[object]]],
              percent: bool) -> Markup:
    """One chart: categories along the bottom, a bar (or a line) per series, the axis from 0 (to 100 % for rates)."""
    values = [v for _, vs in series for v in map(_number, vs) if v is not None]
    top = 1.0 if percent else max(values or [1.0]) * 1.1 or 1.0
    plot_w, plot_h = WIDTH - LEFT - 10, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(categories), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" class="chart">',
             f'<text x="{WIDTH / 2}" y="16" text-anchor="middle" font-size="12" font-weight="bold">{escape(title)}</text>']
    for tick in range(5):
        y = TOP + plot_h - plot_h * tick / 4
        label = f"{tick * 25}%" if percent else f"{top * tick / 4:,.0f}"
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - 10}" y2="{y:.1f}" stroke="#D9D9D9"/>'
                     f'<text x="{LEFT - 4}" y="{y + 3:.1f}" text-anchor="end" font-size="8">{label}</text>')
    for n, category in enumerate(categories):
        parts.append(f'<text x="{LEFT + step * (n + 0.5):.1f}" y="{TOP + plot_h + 12}" text-anchor="middle" '
                     f'font-size="8">{escape(str(category))}</text>')
    bar = step * 0.8 / max(len(series), 1)
    for s, (name, raw) in enumerate(series):
        color = COLORS[s % len(COLORS)]
        points = []
        for n, value in enumerate(map(_number, raw)):
            if value is None:
                continue
            height = plot_h * min(value / top, 1.0)
            if kind == "line":
                points.append(f"{LEFT + step * (n + 0.5):.1f},{TOP + plot_h - height:.1f}")
            else:
                x = LEFT + step * n + step * 0.1 + bar * s
                parts.append(f'<rect x="{x:.1f}" y="{TOP + plot_h - height:.1f}" width="{bar:.1f}" '
                             f'height="{height:.1f}" fill="{color}"/>')
        if points:
            parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{color}" stroke-width="2"/>')
        parts.append(f'<rect x="{LEFT + 110 * s}" y="{HEIGHT - 14}" width="9" height="9" fill="{color}"/>'
                     f'<text x="{LEFT + 110 * s + 13}" y="{HEIGHT - 6}" font-size="9">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
