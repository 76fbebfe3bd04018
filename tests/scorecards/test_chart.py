"""The scorecard chart: well-formed, accessible, CSP-safe, small, and drawn to scale.

Pure functions: no database.
"""

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from scorecards.chart import HEIGHT, WIDTH, Point, Series, describe, render

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def worked_case(**changes):
    """DESIGN.md's worked case 1: baseline 0 on 2026-01-01, target 100 on 2027-01-01."""
    fields = {
        "baseline": Point(date(2026, 1, 1), Decimal(0)),
        "targets": [Point(date(2027, 1, 1), Decimal(100))],
        "readings": [
            Point(date(2026, 3, 31), Decimal(20)),
            Point(date(2026, 6, 30), Decimal(60)),
        ],
        "today": date(2026, 7, 1),
        "expected": Decimal("49.6"),
        "unit": "people",
    }
    return Series(**{**fields, **changes})


def svg_of(markup):
    return ET.fromstring(markup)  # noqa: S314 - our own markup


def parsed(series, **kwargs):
    return svg_of(render(series, id_prefix=kwargs.pop("id_prefix", "c1"), **kwargs))


def coordinates(svg):
    """Every (x, y) the chart draws at: circles, polyline points, text anchors, paths."""
    found = []
    for element in svg.iter():
        tag = element.tag.removeprefix(SVG)
        if tag == "circle":
            found.append((float(element.get("cx")), float(element.get("cy"))))
        elif tag == "polyline":
            for pair in element.get("points").split():
                x, y = pair.split(",")
                found.append((float(x), float(y)))
        elif tag == "text":
            found.append((float(element.get("x")), float(element.get("y"))))
        elif tag == "path":
            found.extend(path_points(element.get("d")))
    return found


def path_points(d):
    """The points of a path made only of M, H and V commands, as the chart writes them."""
    x = y = 0.0
    tokens = d.replace("M", " M ").replace("H", " H ").replace("V", " V ").split()
    points = []
    for i, token in enumerate(tokens):
        if token == "M":
            x, y = float(tokens[i + 1]), float(tokens[i + 2])
        elif token == "H":
            x = float(tokens[i + 1])
        elif token == "V":
            y = float(tokens[i + 1])
        else:
            continue
        points.append((x, y))
    return points


def group(svg, css_class):
    return next(e for e in svg.iter() if e.get("class") == css_class)


def circles(svg, css_class):
    return [(float(c.get("cx")), float(c.get("cy"))) for c in group(svg, css_class)]


def polyline(svg, css_class):
    points = group(svg, css_class).get("points").split()
    return [tuple(float(n) for n in pair.split(",")) for pair in points]


def y_on_line(points, x):
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        if x0 <= x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    raise AssertionError(f"{x} is not on the line")


def test_it_renders_well_formed_svg_named_by_its_title_and_description():
    svg = parsed(worked_case(), id_prefix="indicator-7", title="People trained")

    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert svg.get("viewBox") == f"0 0 {WIDTH} {HEIGHT}"
    assert svg.get("width") == "100%"
    assert 120 <= int(svg.get("height")) <= 160
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title.text == "People trained"
    assert desc.text.startswith("Unit: people. Baseline 0 on")
    assert svg.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]


def test_it_gives_each_chart_its_own_ids():
    first = parsed(worked_case(), id_prefix="indicator-1")
    second = parsed(worked_case(), id_prefix="indicator-2")

    ids = [e.get("id") for svg in (first, second) for e in svg.iter() if e.get("id")]
    assert len(ids) == 4
    assert len(set(ids)) == 4


@pytest.mark.parametrize("prefix", ["", "1st", "a b", 'x"onload="', "x<y"])
def test_it_refuses_an_id_prefix_that_is_not_a_plain_name(prefix):
    with pytest.raises(ValueError):
        render(worked_case(), id_prefix=prefix)


def test_it_uses_no_style_or_script_that_the_csp_would_block():
    markup = render(worked_case(unit="<script>alert(1)</script>"), id_prefix="c1")

    svg = svg_of(markup)
    assert not [e for e in svg.iter() if "style" in e.attrib]
    assert not [e for e in svg.iter() if e.tag.removeprefix(SVG) in {"style", "script"}]
    assert not [name for e in svg.iter() for name in e.attrib if name.startswith("on")]


def test_it_escapes_the_unit_and_the_title():
    markup = render(worked_case(unit="<script>"), id_prefix="c1", title='A & "B" <i>')

    assert "<script>" not in markup
    assert "<i>" not in markup
    svg = svg_of(markup)
    assert svg.find(f"{SVG}title").text == 'A & "B" <i>'
    texts = [e.text for e in svg.iter(f"{SVG}text")]
    assert "<script>" in texts
    assert "Unit: <script>." in svg.find(f"{SVG}desc").text


def test_it_escapes_what_the_formatter_returns():
    markup = render(worked_case(), id_prefix="c1", fmt=lambda value: f"<b>{value}</b>")

    assert "<b>" not in markup
    assert "&lt;b&gt;100&lt;/b&gt;" in markup


EXTREMES = {
    "one reading": {"readings": [Point(date(2026, 6, 30), Decimal(60))]},
    "no readings": {"readings": []},
    "no readings and no today": {"readings": [], "today": None, "expected": None},
    "all values equal": {
        "baseline": Point(date(2026, 1, 1), Decimal(100)),
        "targets": [Point(date(2027, 1, 1), Decimal(100))],
        "readings": [Point(date(2026, 6, 30), Decimal(100))],
        "expected": Decimal(100),
    },
    "negative values": {
        "baseline": Point(date(2026, 1, 1), Decimal(-40)),
        "targets": [Point(date(2027, 1, 1), Decimal("-2.5"))],
        "readings": [Point(date(2026, 6, 30), Decimal(-75))],
    },
    "huge values": {
        "baseline": Point(date(2026, 1, 1), Decimal(0)),
        "targets": [Point(date(2027, 1, 1), Decimal("1e15"))],
        "readings": [Point(date(2026, 6, 30), Decimal("987654321012345.67"))],
    },
    "descending": {
        "baseline": Point(date(2026, 1, 1), Decimal(40)),
        "targets": [Point(date(2027, 1, 1), Decimal(10))],
        "readings": [Point(date(2026, 6, 30), Decimal(25))],
        "higher_is_better": False,
    },
    "readings past the final target": {
        "today": date(2028, 3, 1),
        "readings": [Point(date(2027, 12, 31), Decimal(130))],
    },
    "today before the baseline": {"today": date(2025, 11, 1), "readings": []},
    "no targets": {"targets": []},
    "only the baseline, on today": {"targets": [], "readings": [], "today": date(2026, 1, 1)},
    "a long unit": {"unit": "households with a working connection " * 3},
    "several targets": {
        "targets": [
            Point(date(2026, 7, 1), Decimal(40)),
            Point(date(2027, 1, 1), Decimal(100)),
        ]
    },
}


@pytest.mark.parametrize("changes", EXTREMES.values(), ids=EXTREMES.keys())
def test_it_draws_everything_inside_the_view_box(changes):
    svg = parsed(worked_case(**changes))

    drawn = coordinates(svg)
    assert drawn
    for x, y in drawn:
        assert 0 <= x <= WIDTH
        assert 0 <= y <= HEIGHT


def test_it_puts_a_single_value_in_the_middle_with_one_label():
    svg = parsed(worked_case(**EXTREMES["all values equal"]))

    assert {y for _x, y in circles(svg, "chart-readings")} == {(24 + 112) / 2}
    value_labels = list(group(svg, "chart-labels").find(f"{SVG}g"))
    assert [label.text for label in value_labels] == ["100"]


def test_it_labels_the_lowest_and_highest_value_and_the_first_and_last_date():
    svg = parsed(worked_case(**EXTREMES["negative values"]))

    labels = [e.text for e in group(svg, "chart-labels").iter(f"{SVG}text")]
    assert labels == ["-2.5", "-75", "Jan. 1, 2026", "Jan. 1, 2027"]


def test_it_draws_a_reading_above_the_path_higher_up():
    svg = parsed(worked_case(readings=[Point(date(2026, 6, 30), Decimal(60))]))

    [(x, y)] = circles(svg, "chart-readings")
    assert y < y_on_line(polyline(svg, "chart-path"), x)


def test_it_draws_a_reading_below_the_path_lower_down():
    svg = parsed(worked_case(readings=[Point(date(2026, 6, 30), Decimal(30))]))

    [(x, y)] = circles(svg, "chart-readings")
    assert y > y_on_line(polyline(svg, "chart-path"), x)


def test_it_keeps_higher_values_higher_up_for_a_descending_indicator():
    svg = parsed(worked_case(**EXTREMES["descending"]))

    baseline, target = polyline(svg, "chart-path")
    assert baseline[1] < target[1]  # 40 above 10


def test_it_runs_the_path_through_every_target_and_joins_the_readings_in_date_order():
    svg = parsed(
        worked_case(
            targets=EXTREMES["several targets"]["targets"],
            readings=[Point(date(2026, 6, 30), Decimal(60)), Point(date(2026, 3, 31), 20)],
        )
    )

    assert len(polyline(svg, "chart-path")) == 3
    assert len(circles(svg, "chart-targets")) == 2
    xs = [x for x, _y in polyline(svg, "chart-line")]
    assert xs == sorted(xs)


def test_it_marks_today_between_the_baseline_and_the_target():
    svg = parsed(worked_case())

    [(x, _top), (_x, _bottom)] = path_points(group(svg, "chart-today").get("d"))
    (start, _), (end, _) = polyline(svg, "chart-path")
    assert start + (end - start) * 0.49 < x < start + (end - start) * 0.5
    assert group(svg, "chart-today-label").text == "Today"


def test_it_leaves_out_today_when_it_is_not_given():
    markup = render(worked_case(today=None), id_prefix="c1")

    assert "chart-today" not in markup


def test_it_stays_small():
    readings = [Point(date(2026, month, 28), Decimal(f"{month * 8}.25")) for month in range(1, 13)]
    markup = render(
        worked_case(readings=readings, expected=Decimal("49.6")),
        id_prefix="indicator-123",
        title="People trained in digital skills",
    )

    assert len(markup.encode()) < 3000
    assert "<!--" not in markup
    assert "metadata" not in markup


def test_it_rounds_coordinates_to_one_decimal():
    svg = parsed(worked_case())

    for x, y in coordinates(svg):
        assert round(x, 1) == x
        assert round(y, 1) == y


def test_the_text_alternative_names_baseline_targets_latest_reading_and_expected_value():
    text = describe(
        worked_case(
            targets=EXTREMES["several targets"]["targets"],
            readings=[Point(date(2026, 6, 30), Decimal(60)), Point(date(2026, 3, 31), 20)],
        )
    )

    assert text == (
        "Unit: people. Baseline 0 on Jan. 1, 2026. Target 40 by July 1, 2026. "
        "Target 100 by Jan. 1, 2027. 2 verified readings, latest 60 on June 30, 2026. "
        "Expected 49.6 today. Higher is better."
    )


def test_the_text_alternative_says_when_there_is_no_reading_and_which_way_is_better():
    text = describe(worked_case(**EXTREMES["descending"], unit="", expected=None))

    assert "Unit" not in text
    assert "1 verified reading, latest 25 on June 30, 2026." in text
    assert "Expected" not in text
    assert text.endswith("Lower is better.")
    assert "No verified readings yet." in describe(worked_case(readings=[]))


def test_the_text_alternative_is_the_charts_description():
    series = worked_case()

    assert parsed(series).find(f"{SVG}desc").text == describe(series)


def test_the_text_alternative_sends_numbers_through_the_formatter_and_dates_through_the_locale():
    with translation.override("fr"):
        text = describe(worked_case(), fmt=lambda value: str(value).replace(".", ","))

    assert "49,6" in text
    assert "1 janvier 2026" in text
