"""People at a browser, and the checks every page they reach gets.

A journey test asks for ``journey`` (see ``conftest.py``) and gets one ``Person`` per
browser it needs (``journey.person()``: each has its own cookies). A person moves only
through ``open``, ``follow``, ``click_link``, ``click_button`` and ``navigate``, which wait
for the new page and then check it:

- the page answered as expected (below 400 unless the step says otherwise);
- it is no wider than the viewport (``document.documentElement.scrollWidth``);
- axe finds no serious or critical violation; axe runs once per URL pattern and viewport
  width in this test process (``/fr/partnerships/<slug>/`` counts once, whatever the slug);
- nothing went wrong behind the scenes: no JavaScript error, no console error (CSP
  refusals are console errors), no failed asset, no request that leaves the site.

A wrong status or a missing button stops the journey at once. The other findings are
collected and fail the journey at its end, so one run reports all of them. So does a
navigation that did not go through those steps.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import get_language_from_path
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Response


@dataclass(frozen=True)
class Variant:
    name: str
    width: int
    height: int
    javascript: bool = True
    phone: bool = False


PHONE = Variant("phone", 390, 844, phone=True)
DESKTOP = Variant("desktop", 1280, 800)
PHONE_WITHOUT_JS = Variant("phone-nojs", 390, 844, javascript=False, phone=True)
VARIANTS = (PHONE, DESKTOP, PHONE_WITHOUT_JS)

SCREENSHOTS = Path(settings.VAR_DIR) / "browser"
SERIOUS = {"serious", "critical"}
STEP_TIMEOUT_MS = 5_000  # a missing button fails in seconds, not after Playwright's 30 s
NAVIGATION_TIMEOUT_MS = 10_000

# (viewport width, URL pattern) pairs axe has checked in this test process; each xdist
# worker has its own.
AXE_CHECKED: set[tuple[int, str]] = set()
_axe = Axe()

_OVERFLOWING = """(width) => Array.from(document.querySelectorAll("body *"))
  .filter((element) => element.getBoundingClientRect().right > width + 1)
  .slice(0, 5)
  .map((element) => element.tagName.toLowerCase()
    + (element.id ? "#" + element.id : "")
    + (element.className && typeof element.className === "string"
        ? "." + element.className.trim().split(/\\s+/).join(".") : ""))"""


def page_pattern(url: str) -> str:
    """The URL pattern a page address matches, language prefix included, e.g.
    ``/fr/partnerships/<slug:slug>/``; the path itself if it matches none."""
    path = urlsplit(url).path
    language = get_language_from_path(path) or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            return "/" + resolve(path).route
        except Resolver404:
            return path


def link_in_email(outbox, to: str) -> str:
    """The first address in the last email sent to ``to`` (``outbox``: pytest-django's
    ``mailoutbox``, where the live server's emails land)."""
    emails = [email for email in outbox if to in email.to]
    assert emails, f"no email to {to}"
    found = re.search(r"https?://\S+", emails[-1].body)
    assert found, f"no link in the email to {to}: {emails[-1].body}"
    return found.group(0)


def serious_violations(page: Page) -> list[str]:
    """axe's serious and critical violations on the page, one readable line each."""
    violations = _axe.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        for v in violations
        if v["impact"] in SERIOUS
    ]


class Journey:
    """One run of a journey test in one variant: the people in it and what they found.

    A page that is too wide, fails axe or logs an error does not stop the journey: it is
    noted, the journey goes on to its end, and then fails with everything it found.
    """

    def __init__(self, *, browser: Browser, variant: Variant, base_url: str, name: str):
        self.browser = browser
        self.variant = variant
        self.base_url = base_url.rstrip("/")
        self.name = name
        self.people: list[Person] = []
        self.findings: list[str] = []
        self.last: Person | None = None
        self._checker: Page | None = None

    def person(self) -> Person:
        """Someone new at a browser of this variant's size, with no cookies."""
        person = Person(self, self.new_context())
        self.people.append(person)
        return person

    def new_context(self, *, javascript: bool | None = None) -> BrowserContext:
        variant = self.variant
        context = self.browser.new_context(
            viewport={"width": variant.width, "height": variant.height},
            is_mobile=variant.phone,
            has_touch=variant.phone,
            java_script_enabled=variant.javascript if javascript is None else javascript,
            locale="en-GB",
        )
        context.set_default_timeout(STEP_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        return context

    def check_width(self, page: Page) -> None:
        width, limit = page.evaluate("document.documentElement.scrollWidth"), self.variant.width
        if width > limit:
            offenders = ", ".join(page.evaluate(_OVERFLOWING, limit))
            self.findings.append(
                f"{page.url} is {width}px wide in a {limit}px viewport; sticking out: {offenders}"
            )

    def axe_once(self, page: Page) -> None:
        """Run axe on the page unless a page of the same URL pattern was checked at this
        width already. The width counts: a table that scrolls on a phone and not on a
        desktop is a different page for a keyboard user."""
        key = (self.variant.width, page_pattern(page.url))
        if key in AXE_CHECKED:
            return
        AXE_CHECKED.add(key)
        found = serious_violations(page if self.variant.javascript else self._copy_of(page))
        self.findings += [f"axe on {page.url}: {violation}" for violation in found]

    def _copy_of(self, page: Page) -> Page:
        """The page's document, shown in a browser with JavaScript so that axe can run: axe
        is a script and cannot run where scripts are off. Styles load from the site."""
        if self._checker is None:
            self._checker = self.new_context(javascript=True).new_page()
        checker, url, html = self._checker, page.url, page.content()
        checker.unroute_all()
        checker.route(
            lambda address: address == url,
            lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"),
        )
        checker.goto(url)
        return checker

    def problems(self) -> list[str]:
        """Everything found, with the errors seen since the last page was checked and the
        navigations nobody checked."""
        problems = list(self.findings)
        for person in self.people:
            problems += person.take_errors()
            problems += [f"not checked: {url}" for url in person.unchecked()]
        return problems

    def screenshot(self) -> Path | None:
        """Save the last page anyone saw, as var/browser/<journey>-<variant>.png."""
        if self.last is None:
            return None
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{self.name}-{self.variant.name}.png"
        self.last.page.screenshot(path=path, full_page=True)
        return path

    def close(self) -> None:
        for person in self.people:
            person.page.context.close()
        if self._checker is not None:
            self._checker.context.close()


class Person:
    """Someone at a browser, who moves between pages as a person would."""

    def __init__(self, journey: Journey, context: BrowserContext):
        self.journey = journey
        self.page = context.new_page()
        self._errors: list[str] = []
        self._navigated: list[str] = []
        self._checked: list[str] = []
        self._watch(context)

    # Moving between pages -------------------------------------------------------------

    def open(self, path: str, *, status: int | None = None) -> Response | None:
        """Type an address of the site into the address bar."""
        return self.follow(urljoin(self.journey.base_url + "/", path.lstrip("/")), status=status)

    def follow(self, url: str, *, status: int | None = None) -> Response | None:
        """Open a full address, e.g. a link from an email."""
        response = self.page.goto(url)
        self.arrived(response, status=status)
        return response

    def click_link(self, name: str, *, exact: bool = True, within: str = "body", **kw):
        link = self.page.locator(within).get_by_role("link", name=name, exact=exact)
        return self.navigate(link.click, **kw)

    def click_button(self, name: str, *, exact: bool = True, within: str = "body", **kw):
        button = self.page.locator(within).get_by_role("button", name=name, exact=exact)
        return self.navigate(button.click, **kw)

    def navigate(self, action: Callable[[], object], *, status: int | None = None):
        """Do something that loads a new page, wait for it and check it."""
        with self.page.expect_navigation() as navigation:
            action()
        response = navigation.value
        self.arrived(response, status=status)
        return response

    # Filling in forms -----------------------------------------------------------------

    def field(self, label: str, *, within: str = "body") -> Locator:
        """The field with this label, as the person reads it: Django's label suffix
        ("Country:", "Pays :") is not part of what they look for. ``within`` (a CSS
        selector) picks one form where several on the page have a field of that label."""
        name = re.compile(rf"^\s*{re.escape(label)}\s*:?\s*$")
        return self.page.locator(within).get_by_label(name)

    def fill(self, label: str, value: str, *, within: str = "body") -> None:
        self.field(label, within=within).fill(value)

    def choose(self, label: str, option: str, *, within: str = "body") -> None:
        """Pick an option of a select by the text the person reads."""
        self.field(label, within=within).select_option(label=option)

    def tick(self, label: str, *, within: str = "body") -> None:
        self.field(label, within=within).check()

    def attach(
        self,
        label: str,
        name: str,
        content: bytes,
        mime_type: str = "text/csv",
        *,
        within: str = "body",
    ) -> None:
        """Choose a file to upload, as if ``name`` held ``content``."""
        file = {"name": name, "mimeType": mime_type, "buffer": content}
        self.field(label, within=within).set_input_files(file)

    def sign_in(self, email: str, password: str) -> None:
        """Sign in through the sign-in page (in English), from wherever the person is."""
        if not page_pattern(self.page.url).endswith("accounts/login/"):
            self.click_link("Sign in", within="header")
        self.fill("Email", email)
        self.fill("Password", password)
        self.click_button("Sign in", within="main")

    # What the person sees -------------------------------------------------------------

    def chosen(self, label: str, *, within: str = "body") -> str:
        """The text of the option a select shows as chosen."""
        return self.field(label, within=within).locator("option:checked").inner_text().strip()

    def heading(self) -> str:
        return self.page.get_by_role("heading", level=1).first.inner_text().strip()

    def sees(self, text: str) -> bool:
        return self.page.get_by_text(text).first.is_visible()

    # The checks -----------------------------------------------------------------------

    def arrived(self, response: Response | None, *, status: int | None = None) -> None:
        """Check the page just reached. ``status`` is the expected one, else any below 400."""
        page, journey = self.page, self.journey
        self._checked.append(page.url)
        journey.last = self
        got = response.status if response is not None else None
        if status is None:
            assert got is not None and got < 400, f"{page.url} answered {got}"
        else:
            assert got == status, f"{page.url} answered {got}, not {status}"
        journey.check_width(page)
        journey.axe_once(page)
        journey.findings += [f"on {page.url}: {error}" for error in self.take_errors()]

    def take_errors(self) -> list[str]:
        errors, self._errors = self._errors, []
        return errors

    def unchecked(self) -> list[str]:
        checked = set(self._checked)
        return [url for url in self._navigated if url not in checked]

    def _watch(self, context: BrowserContext) -> None:
        page, site = self.page, self.journey.base_url

        def left_the_site(route):
            self._errors.append(f"request outside the site: {route.request.url}")
            route.abort()

        def navigated(frame):
            if frame == page.main_frame and frame.url != "about:blank":
                self._navigated.append(frame.url)

        def console(message):
            # A page that answers 400 (a refused form) is logged as a failed resource too.
            if message.type == "error" and not message.text.startswith("Failed to load"):
                self._errors.append(f"console error: {message.text}")

        def response(answer):
            if answer.status >= 400 and answer.request.resource_type != "document":
                self._errors.append(f"{answer.status} for {answer.url}")

        context.route(re.compile(rf"^(?!{re.escape(site)}/)(?!data:)"), left_the_site)
        page.on("framenavigated", navigated)
        page.on("console", console)
        page.on("pageerror", lambda error: self._errors.append(f"JavaScript error: {error}"))
        page.on("response", response)
