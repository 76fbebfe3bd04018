"""List pages do per-page work only, so each page costs the same at any size.

Every query a list page runs is one of:

- **the page**: its rows, plain (no GROUP BY) and limited to the page size (or to the 21
  rows of Django's ``get()``, for a lookup by a unique key, or of a first page read with
  one row more); a later page takes its keys first, in a limited subquery;
- **the page's ids**: filtered by ``IN (...)`` of the primary keys of the rows shown (or
  of those whose fragments were not kept, see ``partnerships/templatetags``);
- **a site-wide figure**: computed through ``harambee.pagecache.remember`` under its
  name, so with a warm cache it does not run at all;
- **the count**: the paginator's, of plain rows (no GROUP BY, no subquery to count, no
  join to the partners), when the total is not itself a site-wide figure;
- **the user's own**: for a signed-in request, the session, the user, and their own
  non-public partnerships (filtered by their id, public ones excluded).

On PostgreSQL, with thousands of rows seeded and ANALYZE run, EXPLAIN ANALYZE of each
query of page 1 shows no sort or aggregate over more than a few pages' worth of rows.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from harambee import pagecache
from harambee.demo import World
from partnerships import selectors, services
from partnerships.codelists import ActivityStatus
from partnerships.demo import build_scale
from partnerships.models import GrantCapacity, Organisation, Partnership, Visibility
from tests.factories import OrganisationFactory, PartnerFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE = settings.PAGE_SIZE
GET_BOUND = 21  # django.db.models.query.MAX_GET_RESULTS: get() asks for at most 21 rows
# The site-wide figures a list page may need; each is computed once per public version
# (the filter choices once per language too: "filter-choices:fr").
FIGURES = {"home-figures", "public-counts", "filter-choices", "organisation-count", "sector-names"}
# On PostgreSQL, a sort or aggregate over more rows than this is over "all rows": the
# seeded world has thousands, a page's own rows and their partners and sectors are fewer.
ROWS_OF_A_PAGE = 10 * PAGE


# --- recording what a request runs -----------------------------------------------------------


@dataclass
class Recorded:
    queries: list[str] = field(default_factory=list)
    figures: dict[int, str] = field(default_factory=dict)  # query index -> figure name

    @property
    def computed(self) -> set[str]:
        """The names of the figures computed, without their language."""
        return {name.split(":")[0] for name in self.figures.values()}


class Recorder:
    """Captures a request's SQL, and which queries ran to compute a named site-wide figure
    (by wrapping ``pagecache.remember``'s compute)."""

    def __init__(self) -> None:
        self.outer: CaptureQueriesContext | None = None
        self.figures: dict[int, str] = {}

    def remember(self, real):
        def remember(name, compute):
            def traced():
                start = len(connection.queries_log)
                try:
                    return compute()
                finally:
                    first = start - self.outer.initial_queries
                    last = len(connection.queries_log) - self.outer.initial_queries
                    for index in range(first, last):
                        self.figures.setdefault(index, name)

            return real(name, traced)

        return remember

    def get(self, client, url: str):
        self.figures = {}
        with CaptureQueriesContext(connection) as captured:
            self.outer = captured
            response = client.get(url)
        assert response.status_code == 200
        return response, Recorded([q["sql"] for q in captured.captured_queries], self.figures)


@pytest.fixture
def recorder(monkeypatch) -> Recorder:
    recorder = Recorder()
    monkeypatch.setattr(pagecache, "remember", recorder.remember(pagecache.remember))
    return recorder


# --- what each query is ----------------------------------------------------------------------


def _limit(sql: str) -> int | None:
    """The query's LIMIT, or that of the subquery that reads a later page's keys first."""
    match = re.search(r"\bLIMIT (\d+)(?: OFFSET \d+)?\s*$", sql) or re.search(
        r"\bIN \(SELECT .* LIMIT (\d+)(?: OFFSET \d+)?\)+ ORDER BY [^()]*$", sql
    )
    return int(match.group(1)) if match else None


def _id_lists(sql: str) -> list[set[int]]:
    lists = re.findall(r"\bIN \(([\d, ]+)\)", sql)
    return [{int(i) for i in ids.split(",")} for ids in lists]


def is_plain_count(sql: str) -> bool:
    return (
        sql.startswith('SELECT COUNT(*) AS "__count" FROM "partnerships_')
        and "GROUP BY" not in sql
        and "FROM (SELECT" not in sql
        and 'JOIN "partnerships_partner"' not in sql
    )


def kind_of(sql: str, *, page_ids: set[int], user=None) -> str | None:
    """The kind of per-page query ``sql`` is, or None when it is none of them."""
    if user is not None:
        if re.match(r'SELECT .* FROM "(django_session|accounts_user)" WHERE', sql):
            return "session"
        by_user = f'"user_id" = {user.pk}' in sql
        not_public = re.search(r"NOT \([^)]*\"visibility\" = 'public'", sql)
        if by_user and not_public and "LIMIT" not in sql:
            return "own"
    limit = _limit(sql)
    if limit is not None and limit <= max(PAGE, GET_BOUND) and "GROUP BY" not in sql:
        return "page"
    if page_ids and any(ids and ids <= page_ids for ids in _id_lists(sql)):
        return "page ids"  # all of them, or those whose fragments were not kept
    if is_plain_count(sql):
        return "count"
    return None


def not_per_page(recorded: Recorded, *, page_ids: set[int], user=None) -> list[str]:
    """The queries that are none of the per-page kinds (nor a named site-wide figure)."""
    return [
        sql
        for index, sql in enumerate(recorded.queries)
        if index not in recorded.figures and kind_of(sql, page_ids=page_ids, user=user) is None
    ]


def assert_per_page(recorder: Recorder, client, url: str, ids_of, *, user=None):
    """GET ``url`` twice: cold, site-wide figures may be computed (and only named ones);
    warm, none is. Both times every other query is a per-page one. Returns the warm
    request's response and queries."""
    cold_response, cold = recorder.get(client, url)
    assert cold.computed <= FIGURES
    assert not_per_page(cold, page_ids=ids_of(cold_response), user=user) == []
    response, warm = recorder.get(client, url)
    assert warm.computed == set(), "site-wide figures come from the cache when it is warm"
    assert not_per_page(warm, page_ids=ids_of(response), user=user) == []
    return response, warm


def page_ids(response) -> set[int]:
    return {row.pk for row in response.context.get("page") or ()}


def counts(recorded: Recorded) -> list[str]:
    return [sql for sql in recorded.queries if sql.startswith("SELECT COUNT(*)")]


# --- the world -------------------------------------------------------------------------------


def seed(n: int) -> World:
    """n generated partnerships (about a third public), their organisations, partners,
    sectors, contributions and milestones, inserted set-based."""
    world = World(today=timezone.localdate(), random=random.Random(9), scale=n)
    build_scale(world, n)
    return world


@pytest.fixture
def world(db) -> World:
    world = seed(150)
    # Enough matches for the filtered page to show a few cards.
    for _ in range(3):
        match = PartnershipFactory(status=ActivityStatus.IMPLEMENTATION, recipient_countries=["KE"])
        match.sectors.add("22040")
        PartnerFactory(partnership=match)
    return world


# --- the partnership list --------------------------------------------------------------------


LIST_PAGES = {
    "page 1": "",
    "a filtered page": "?status=2&country=KE&sector=22040",
    "a later page": "?page=3",
}


@pytest.mark.parametrize("which", LIST_PAGES)
def test_the_partnership_list_works_per_page(client, recorder, world, which):
    url = reverse("partnerships:list") + LIST_PAGES[which]

    response, warm = assert_per_page(recorder, client, url, page_ids)

    page = response.context["page"]
    assert len(page) == PAGE or which != "page 1"
    if which == "a filtered page":
        # Its first page holds every match, read with one more to know: nothing to count.
        assert counts(warm) == []
        matches = Partnership.objects.public().filter(status=2, sectors="22040")
        expected = [
            p for p in matches.order_by("-updated_at", "pk") if "KE" in p.recipient_countries
        ]
        assert list(page) == expected[:PAGE] != []
    else:  # the total of the public list is the site-wide figure
        assert counts(warm) == []
        assert page.paginator.count == Partnership.objects.public().count()


def test_a_filtered_list_longer_than_a_page_counts_plain_rows(client, recorder, world):
    for _ in range(PAGE + 5):
        match = PartnershipFactory(status=ActivityStatus.IMPLEMENTATION, recipient_countries=["KE"])
        match.sectors.add("22040")
    url = reverse("partnerships:list") + LIST_PAGES["a filtered page"]

    response, warm = assert_per_page(recorder, client, url, page_ids)

    [count] = counts(warm)
    assert is_plain_count(count), count
    matches = Partnership.objects.public().filter(status=2, sectors="22040")
    expected = [p for p in matches if "KE" in p.recipient_countries]
    assert response.context["page"].paginator.count == len(expected) > PAGE


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ("?country=KE", lambda public: [p for p in public if "KE" in p.recipient_countries]),
        ("?status=2", lambda public: public.filter(status=ActivityStatus.IMPLEMENTATION)),
        ("?sector=22040", lambda public: public.filter(sectors="22040")),
    ],
)
def test_a_list_filtered_by_one_figure_counts_nothing(client, recorder, world, query, total):
    """A single filter's total is a site-wide figure: at any size, no query counts rows."""
    url = reverse("partnerships:list") + query

    response, warm = assert_per_page(recorder, client, url, page_ids)

    assert counts(warm) == []
    assert response.context["page"].paginator.count == len(total(Partnership.objects.public()))


def test_the_partnership_list_works_per_page_for_partner_staff(as_user, recorder, world, lead):
    """Signed in, the list includes the user's own draft: its total and its countries are the
    public ones (from the cache) and the user's own, counted from their own rows."""
    own = PartnershipFactory(visibility=Visibility.DRAFT, recipient_countries=["BT"])
    PartnerFactory(partnership=own, organisation=lead.memberships.get().organisation)
    browser = as_user(lead)
    url = reverse("partnerships:list")

    response, warm = assert_per_page(recorder, browser, url, page_ids, user=lead)

    visible = Partnership.objects.visible_to(lead)
    assert response.context["page"].paginator.count == visible.count()
    assert "BT" in dict(response.context["form"].fields["country"].choices)


def test_the_partnership_list_pages_plain_rows_most_recently_updated_first(client, world):
    first = client.get(reverse("partnerships:list")).context["page"]
    third = client.get(reverse("partnerships:list") + "?page=3").context["page"]
    expected = list(Partnership.objects.public().order_by("-updated_at", "pk"))
    assert list(first) == expected[:PAGE]
    assert list(third) == expected[2 * PAGE : 3 * PAGE]
    for card in [*first, *third]:
        assert card.partner_count == card.partners.filter(left_on__isnull=True).count()


# --- organisations ---------------------------------------------------------------------------


ORGANISATION_PAGES = {"page 1": "", "a filtered page": "?type=22", "a later page": "?page=2"}


@pytest.mark.parametrize("which", ORGANISATION_PAGES)
def test_the_organisation_list_works_per_page(client, recorder, world, which):
    url = reverse("partnerships:organisation_list") + ORGANISATION_PAGES[which]

    response, warm = assert_per_page(recorder, client, url, page_ids)

    page = response.context["page"]
    assert len(page) > 0
    for count in counts(warm):
        assert is_plain_count(count), count
    if which != "a filtered page":
        assert counts(warm) == []  # the number of organisations is a site-wide figure
        assert page.paginator.count == Organisation.objects.count()
    for organisation in page:
        roles = organisation.partner_roles.current()
        public = roles.filter(partnership__visibility=Visibility.PUBLIC).values("partnership_id")
        assert organisation.public_partnership_count == public.distinct().count()


@pytest.fixture
def busy_organisation(world) -> Organisation:
    """An organisation in 25 public partnerships and 3 drafts, with more around it."""
    organisation = OrganisationFactory(name="Busy funder")
    for visibility in [Visibility.PUBLIC] * 25 + [Visibility.DRAFT] * 3:
        partnership = PartnershipFactory(visibility=visibility)
        PartnerFactory(partnership=partnership, organisation=organisation)
    return organisation


@pytest.mark.parametrize("number", [1, 2])
def test_the_organisation_page_works_per_page(client, recorder, busy_organisation, number):
    url = f"{busy_organisation.get_absolute_url()}?page={number}"

    response, warm = assert_per_page(recorder, client, url, page_ids)

    page = response.context["page"]
    assert len(page) == (PAGE if number == 1 else 5)
    assert page.paginator.count == 25
    for count in counts(warm):
        assert "GROUP BY" not in count and "FROM (SELECT" not in count, count


# --- the home page ---------------------------------------------------------------------------


def test_the_home_page_works_per_page(client, recorder, world):
    def latest_ids(response):
        return {row.pk for row in response.context["latest"]}

    response, warm = assert_per_page(recorder, client, reverse("home"), latest_ids)

    assert counts(warm) == []
    public = Partnership.objects.public()
    figures = response.context["figures"]
    assert figures.partnerships == public.count()
    assert figures.in_implementation == public.filter(status=ActivityStatus.IMPLEMENTATION).count()


def test_a_partners_own_countries_never_reach_the_shared_cache(client, as_user, lead, world):
    own = PartnershipFactory(visibility=Visibility.PRIVATE, recipient_countries=["BT"])
    PartnerFactory(partnership=own, organisation=lead.memberships.get().organisation)
    url = reverse("partnerships:list")

    def countries(browser):
        return dict(browser.get(url).context["form"].fields["country"].choices)

    assert "BT" not in countries(client)
    assert "BT" in countries(as_user(lead))
    assert "BT" not in countries(client)
    assert client.get(reverse("home")).context["figures"].countries == len(countries(client)) - 1


def test_the_users_own_hidden_partnerships_are_exactly_what_the_visibility_rule_adds(
    lead, panel_member, outsider, partnership
):
    """The lists count and name the user's own non-public partnerships from their own rows
    (``selectors.hidden_visible_to``); that is the visibility rule's part beyond public."""
    draft = PartnershipFactory(visibility=Visibility.DRAFT)
    PartnerFactory(partnership=draft, organisation=lead.memberships.get().organisation)
    reviewed = PartnershipFactory(visibility=Visibility.PRIVATE)
    services.grant_create(
        partnership=reviewed, capacity=GrantCapacity.REVIEWER, granted_by=None, user=panel_member
    )
    PartnershipFactory.create_batch(2, visibility=Visibility.PRIVATE)
    admin = UserFactory(is_superuser=True)

    for user, expected in [(lead, 1), (panel_member, 1), (outsider, 0), (admin, 4)]:
        rule = Partnership.objects.visible_to(user).exclude(visibility=Visibility.PUBLIC)
        own = selectors.hidden_visible_to(user)
        assert sorted(own.values_list("pk", flat=True)) == sorted(rule.values_list("pk", flat=True))
        assert own.count() == expected


# --- fragments: cards, organisation rows and filters kept under the public version --------


@pytest.fixture
def fragments(settings):
    """Fragments kept, as with DEBUG off (the tests render them otherwise)."""
    settings.HARAMBEE_CACHE_FRAGMENTS = True


def queries_of(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize(
    "url_name", ["partnerships:list", "home", "partnerships:organisation_list"]
)
def test_with_fragments_a_second_visit_reads_only_the_pages_rows(
    client, world, fragments, url_name
):
    url = reverse(url_name)
    first = client.get(url).content
    queries = queries_of(client, url)

    assert client.get(url).content == first
    [rows] = queries  # what the cards or rows show comes with them from the cache
    assert _limit(rows) is not None, rows


def test_with_fragments_a_change_through_a_service_shows_on_the_next_visit(
    client, world, fragments, django_capture_on_commit_callbacks
):
    partnership = Partnership.objects.public().order_by("-updated_at", "pk").first()
    partner = partnership.partners.filter(left_on__isnull=True).select_related("organisation")
    on_card = partner.first().organisation
    first_listed = Organisation.objects.for_list().first()
    cards = [reverse("home"), reverse("partnerships:list")]
    rows = reverse("partnerships:organisation_list")
    for url in [*cards, rows]:
        client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_update(organisation=on_card, name="Renamed", acronym="")
        services.organisation_update(organisation=first_listed, name="AAA first")
        services.partnership_update(partnership=partnership, title="Retitled")

    for url in cards:
        html = client.get(url).content.decode()
        assert "Retitled" in html and "Renamed" in html
    assert "AAA first" in client.get(rows).content.decode()


def test_with_fragments_a_draft_card_is_never_kept(as_user, lead, world, fragments):
    own = PartnershipFactory(visibility=Visibility.DRAFT, title="Our own draft")
    PartnerFactory(partnership=own, organisation=lead.memberships.get().organisation)
    browser = as_user(lead)
    url = reverse("partnerships:list")
    browser.get(url)

    kept = pagecache.page_cache().get(f"{pagecache.key('partnership:en')}:{own.pk}")
    assert kept is None
    assert "Our own draft" in browser.get(url).content.decode()


def test_with_fragments_a_partners_own_countries_never_reach_the_shared_filters(
    client, as_user, lead, world, fragments
):
    own = PartnershipFactory(visibility=Visibility.PRIVATE, recipient_countries=["BT"])
    PartnerFactory(partnership=own, organisation=lead.memberships.get().organisation)
    url = reverse("partnerships:list")

    assert 'value="BT"' in as_user(lead).get(url).content.decode()
    assert 'value="BT"' not in client.get(url).content.decode()
    assert 'value="BT"' in as_user(lead).get(url).content.decode()


# --- on PostgreSQL: what the planner does at size --------------------------------------------

HEAVY = {"Sort", "Incremental Sort", "Aggregate", "Unique", "SetOp", "WindowAgg", "Group"}


def heavy_nodes(plan: dict) -> list[str]:
    """Sort and aggregate nodes of an EXPLAIN ANALYZE plan that take in more rows than a
    few pages' worth."""
    found = []
    inputs = sum(c.get("Actual Rows", 0) * c.get("Actual Loops", 1) for c in plan.get("Plans", []))
    if plan["Node Type"] in HEAVY and inputs > ROWS_OF_A_PAGE:
        found.append(f"{plan['Node Type']} {plan.get('Strategy', '')} over {inputs} rows")
    for child in plan.get("Plans", []):
        found.extend(heavy_nodes(child))
    return found


def explain(sql: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        (raw,) = cursor.fetchone()
    document = json.loads(raw) if isinstance(raw, str) else raw
    return document[0]["Plan"]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="EXPLAIN plans need PostgreSQL: run with DATABASE_URL=postgres://... (CI does)",
)
def test_on_postgresql_page_1_sorts_and_aggregates_no_more_than_a_page(client, recorder):
    seed(3000)
    organisation = Organisation.objects.filter(partner_roles__isnull=False).order_by("pk")[:1].get()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    pages = {
        "partnership list": reverse("partnerships:list"),
        "partnership list filtered": reverse("partnerships:list") + "?status=2",
        "partnership list, a later page": reverse("partnerships:list") + "?page=10",
        "organisation list": reverse("partnerships:organisation_list"),
        "organisation page": organisation.get_absolute_url(),
        "home": reverse("home"),
    }
    heavy = []
    for name, url in pages.items():
        recorder.get(client, url)  # warms the site-wide figures
        _, warm = recorder.get(client, url)
        for sql in warm.queries:
            if name.endswith("filtered") and is_plain_count(sql):
                continue  # a filtered total counts the matching rows; it must be plain
            if found := heavy_nodes(explain(sql)):
                heavy.append(f"{name}: {', '.join(found)} in {sql[:150]}...")
    assert heavy == [], "\n".join(heavy)
