"""Journeys through the site in a real browser: Debian's Chromium driven by Playwright.

Every journey test runs three times: at phone size (390×844), at desktop size
(1280×800) and at phone size with JavaScript off. It sets up its data through services
and factories before anyone opens a page, then uses ``journey.person()`` (see
``harness.py``). The site is pytest-django's ``live_server``, in a thread of this
process, so emails land in ``mailoutbox``.

Without Chromium the journeys are skipped, and the skip says how to install it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.harness import VARIANTS, Journey

CHROMIUM = Path(os.environ.get("HARAMBEE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After the journey's last step, fail it with what its pages showed on the way (a
    page too wide, axe violations, errors), as part of the test, not of its teardown."""
    __tracebackhide__ = True
    journey = item.funcargs.get("journey")
    try:
        result = yield
    except BaseException:
        if journey is not None and (problems := journey.problems()):
            item.add_report_section("call", "found on the way", "\n".join(problems))
        raise
    if journey is not None and (problems := journey.problems()):
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        raise AssertionError(
            f"{count} in {journey.name} ({journey.variant.name}):\n" + "\n".join(problems)
        )
    return result


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium per test process, shared by every journey in it."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(
            f"the browser tests need Chromium at {CHROMIUM}: install it with "
            "`apt-get install chromium` (or set HARAMBEE_CHROMIUM to its path)"
        )
    # Playwright's sync API keeps an event loop running in this thread, where Django then
    # refuses ORM calls (SynchronousOnlyOperation). Nothing here runs on that loop: the
    # tests' own set-up and checks are plain synchronous code, and the live server has its
    # own thread. So use Django's documented switch, and only while the browser lives.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(params=VARIANTS, ids=[variant.name for variant in VARIANTS])
def variant(request):
    return request.param


@pytest.fixture
def journey(
    request,
    browser,
    variant,
    live_server,
    settings,
    transactional_db,
    django_db_serialized_rollback,
):
    """A journey in one variant. The database is emptied after it (the live server needs
    committed data); the serialized rollback brings back what migrations put there."""
    settings.SITE_URL = live_server.url
    # One journey per module, named after it: test_new_user.py saves new_user-phone.png.
    name = request.node.module.__name__.rpartition(".")[2].removeprefix("test_")
    run = Journey(browser=browser, variant=variant, base_url=live_server.url, name=name)
    try:
        yield run
    finally:
        try:
            run.screenshot()
        finally:
            run.close()
