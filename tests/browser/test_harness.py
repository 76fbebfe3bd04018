"""The harness's own checks fail when they should: a check that cannot fail proves nothing."""

from tests.browser.harness import PHONE, Journey, page_pattern, serious_violations

WIDE_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Wide</title></head>
<body><main><h1>Wide</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<div id="poster" style="width: 600px">A poster too wide for a phone</div></main></body></html>"""


def test_pages_of_one_pattern_count_once_per_language():
    french = page_pattern("http://localhost/fr/partnerships/water-ab12/")
    assert french == "/fr/partnerships/<slug:slug>/"
    assert page_pattern("http://localhost/fr/partnerships/roads-cd34/") == french
    assert page_pattern("http://localhost/sw/partnerships/water-ab12/") != french


def test_a_page_wider_than_a_phone_and_an_image_without_text_are_found(browser):
    journey = Journey(browser=browser, variant=PHONE, base_url="http://localhost", name="harness")
    page = journey.new_context().new_page()
    try:
        page.set_content(WIDE_PAGE)
        journey.check_width(page)
        violations = serious_violations(page)
    finally:
        page.context.close()
    [finding] = journey.findings
    assert "in a 390px viewport" in finding
    assert "div#poster" in finding
    assert [v for v in violations if v.startswith("image-alt (critical)")]
