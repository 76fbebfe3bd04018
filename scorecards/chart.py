"""The small chart of an indicator's readings against its expected path, as inline SVG.

Pure, like ``communities/disclosure.py``: plain values in, markup and text out, no database.
The public scorecard page embeds the SVG in its HTML, so it obeys the page's rules:

- No JavaScript, and nothing the CSP (``style-src 'self'``) would block: no ``style=""``
  attribute and no ``<style>`` element. Colours are SVG presentation attributes, which
  the site's stylesheet may override through the ``chart-*`` classes (static/css/chart.css).
- Small: it counts toward the page's compressed budget, so coordinates have one decimal,
  shared attributes sit on groups, and there is no metadata.
- Accessible: ``role="img"`` named by its ``<title>`` and ``<desc>``; :func:`describe`
  gives the same text alternative for the page to show as well.

The chart draws what it is given and computes no figure of its own. Status, the expected
value and a cumulative indicator's running value are ``scorecards/status.py``'s to
compute (one function per number users see); the caller passes them in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

Number = Decimal | int | float
Formatter = Callable[[Number], str]

# The drawing is 320 x 140 user units: at a phone's width (about 330 CSS pixels of
# content) one unit is about one pixel, so 12-unit text reads as 12px text.
WIDTH, HEIGHT = 320, 140
FONT_SIZE = 12
TOP, BOTTOM = 24, 112  # the plot area's top and bottom; a row of text above and below
RIGHT = WIDTH - 4  # room for half a dot
TEXT_ROW, DATE_ROW = 12, 134  # text baselines
CHAR_WIDTH = 7.5  # a generous average width of a character at 12 units, for layout only
MAX_UNIT_CHARS = 24

_ID_PREFIX = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


class Point(NamedTuple):
    """A dated value; a plain ``(date, value)`` tuple does as well."""

    on: date
    value: Number


@dataclass(frozen=True)
class Series:
    """What one indicator's chart shows.

    ``readings`` are the verified, current readings as (period end, value to plot): for a
    cumulative indicator, the running value after each reading, as status.py computes it.
    ``expected`` is status.py's expected value on ``today``; without it the text
    alternative says nothing of the expected value.
    """

    baseline: Point
    targets: Sequence[Point]
    readings: Sequence[Point] = ()
    today: date | None = None
    expected: Number | None = None
    higher_is_better: bool = True
    unit: str = ""


def describe(series: Series, *, fmt: Formatter = str) -> str:
    """The chart's text alternative, in the active language; numbers go through ``fmt``."""
    sentences = []
    if series.unit:
        sentences.append(_("Unit: %(unit)s.") % {"unit": series.unit})
    on, value = series.baseline
    sentences.append(_("Baseline %(value)s on %(date)s.") % _said(value, on, fmt))
    for on, value in sorted(series.targets):
        sentences.append(_("Target %(value)s by %(date)s.") % _said(value, on, fmt))
    readings = sorted(series.readings)
    if readings:
        on, value = readings[-1]
        sentences.append(
            ngettext(
                "%(count)s verified reading, latest %(value)s on %(date)s.",
                "%(count)s verified readings, latest %(value)s on %(date)s.",
                len(readings),
            )
            % {"count": len(readings), **_said(value, on, fmt)}
        )
    else:
        sentences.append(_("No verified readings yet."))
    if series.today is not None and series.expected is not None:
        sentences.append(_("Expected %(value)s today.") % {"value": fmt(series.expected)})
    sentences.append(_("Higher is better.") if series.higher_is_better else _("Lower is better."))
    return " ".join(sentences)


def _said(value: Number, on: date, fmt: Formatter) -> dict[str, str]:
    return {"value": fmt(value), "date": date_format(on)}


def render(series: Series, *, id_prefix: str, title: str = "", fmt: Formatter = str) -> SafeString:
    """The chart as an inline ``<svg>``; ``id_prefix`` makes its ids unique on the page."""
    if not _ID_PREFIX.match(id_prefix):
        raise ValueError(f"Not a usable id prefix: {id_prefix!r}")
    path = sorted([series.baseline, *series.targets])
    readings = sorted(series.readings)
    values = [value for _on, value in [*path, *readings]]
    low, high = min(values), max(values)
    labels = [fmt(high)] if low == high else [fmt(high), fmt(low)]
    left = min(max(CHAR_WIDTH * max(map(len, labels)) + 8, 24), 100)
    days = [on for on, _value in [*path, *readings]]
    if series.today is not None:
        days.append(series.today)
    scale = _Scale(left, min(days), max(days), float(low), float(high))
    parts = [
        format_html(
            '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>',
            id_prefix,
            title or _("Readings against the expected path"),
            id_prefix,
            describe(series, fmt=fmt),
        ),
        _grid(scale, low, high, labels),
        _text_row(scale, series.unit, series.today),
        _line("chart-path", scale.points(path), _PATH),
        _dots("chart-baseline", scale.points(path[:1]), 2.5, 'fill="#525d6b"'),
        _dots("chart-targets", scale.points(path[1:]), 3.5, _HOLLOW),
        _line("chart-line", scale.points(readings), _READINGS),
        _dots("chart-readings", scale.points(readings), 3, 'fill="#0b6b4f"'),
    ]
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {} {}" '
        'width="100%" height="{}" preserveAspectRatio="xMinYMid meet" role="img" '
        'aria-labelledby="{}-t {}-d" font-size="{}">{}</svg>',
        WIDTH,
        HEIGHT,
        HEIGHT,
        id_prefix,
        id_prefix,
        FONT_SIZE,
        _joined(parts),
    )


# Paint as presentation attributes, so the chart reads without the stylesheet too.
_PATH = 'stroke="#525d6b" stroke-width="1.5" stroke-dasharray="4 3"'
_READINGS = 'stroke="#0b6b4f" stroke-width="2"'
_HOLLOW = 'fill="#fff" stroke="#525d6b" stroke-width="1.5"'


class _Scale:
    """Dates to x and values to y. A single day or a single value sits in the middle,
    so no input divides by zero."""

    def __init__(self, left: float, first: date, last: date, low: float, high: float):
        self.left, self.first, self.last = left, first, last
        self.span = (last - first).days
        self.low, self.high = low, high

    def x(self, on: date) -> float:
        if not self.span:
            return (self.left + RIGHT) / 2
        return self.left + (on - self.first).days / self.span * (RIGHT - self.left)

    def y(self, value: Number) -> float:
        if self.high == self.low:
            return (TOP + BOTTOM) / 2
        return BOTTOM - (float(value) - self.low) / (self.high - self.low) * (BOTTOM - TOP)

    def points(self, points: Iterable[tuple[date, Number]]) -> list[tuple[str, str]]:
        return [(_n(self.x(on)), _n(self.y(value))) for on, value in points]


def _n(coordinate: float) -> str:
    """One decimal, and no ".0": 12, 12.5, -3.1."""
    text = f"{coordinate:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def _joined(parts: Iterable[str]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts if part))


def _grid(scale: _Scale, low: Number, high: Number, labels: list[str]) -> SafeString:
    """Lines at the lowest and highest value, their labels, and the first and last date."""
    rows = [(scale.y(high), labels[0])]
    if low != high:
        rows.append((scale.y(low), labels[1]))
    lines = "".join(f"M{_n(scale.left)} {_n(y)}H{RIGHT}" for y, _label in rows)
    values = format_html_join(
        "",
        '<text x="{}" y="{}">{}</text>',
        ((_n(scale.left - 6), _n(y + 4), label) for y, label in rows),
    )
    dates = [(_n(scale.left), "start", scale.first)]
    if scale.span:
        dates.append((str(RIGHT), "end", scale.last))
    return format_html(
        '<path class="chart-grid" d="{}" stroke="#d5dbe3"/>'
        '<g class="chart-labels" fill="#525d6b"><g text-anchor="end">{}</g>{}</g>',
        lines,
        values,
        format_html_join(
            "",
            '<text x="{}" y="{}" text-anchor="{}">{}</text>',
            ((x, DATE_ROW, anchor, date_format(on)) for x, anchor, on in dates),
        ),
    )


def _text_row(scale: _Scale, unit: str, today: date | None) -> SafeString:
    """The unit at the top left, and today's line with its label above the plot."""
    parts = []
    taken = 0.0
    if unit:
        shown = unit if len(unit) <= MAX_UNIT_CHARS else unit[: MAX_UNIT_CHARS - 1] + "…"
        parts.append(format_html('<text x="0" y="{}">{}</text>', TEXT_ROW, shown))
        taken = CHAR_WIDTH * len(shown) + 8
    if today is not None:
        x = scale.x(today)
        parts.append(
            format_html(
                '<path class="chart-today" d="M{} {}V{}" stroke="#9a3b00" stroke-dasharray="2 2"/>',
                _n(x),
                TOP - 6,
                BOTTOM,
            )
        )
        label = _("Today")
        width = CHAR_WIDTH * len(label)
        start = min(max(x - width / 2, taken), WIDTH - width)
        if start >= taken:  # else the unit fills the row; the line speaks for itself
            parts.append(
                format_html(
                    '<text class="chart-today-label" x="{}" y="{}">{}</text>',
                    _n(start),
                    TEXT_ROW,
                    label,
                )
            )
    if not parts:
        return SafeString("")
    return format_html('<g class="chart-notes" fill="#525d6b">{}</g>', _joined(parts))


# The two helpers below write SafeString directly: their markup holds only numbers that
# _n formatted and this module's constants, never a caller's text.


def _line(css_class: str, points: list[tuple[str, str]], paint: str) -> SafeString:
    """A polyline through ``points``; nothing for fewer than two."""
    if len(points) < 2:
        return SafeString("")
    joined = " ".join(f"{x},{y}" for x, y in points)
    return SafeString(f'<polyline class="{css_class}" points="{joined}" fill="none" {paint}/>')


def _dots(css_class: str, points: list[tuple[str, str]], radius: float, paint: str) -> SafeString:
    """Circles at ``points``, grouped to share ``paint``."""
    if not points:
        return SafeString("")
    circles = "".join(f'<circle cx="{x}" cy="{y}" r="{radius}"/>' for x, y in points)
    return SafeString(f'<g class="{css_class}" {paint}>{circles}</g>')
