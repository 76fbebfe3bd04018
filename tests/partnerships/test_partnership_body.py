"""A public partnership's page body is kept under the public version for the readers who
may not edit it, and is never stale, never another reader's, never a hidden partnership's.

The page cache stays off here (as in the load benchmark's "uncached" mode), so every GET
runs the view; fragments are on, as with DEBUG off. Services bump the version when their
transaction commits: each change runs inside ``django_capture_on_commit_callbacks``.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from harambee import pagecache
from harambee.translations import translation_save
from partnerships import services
from partnerships.codelists import OrganisationRole
from partnerships.models import MemberRole, Visibility
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

EDIT = "/edit/"  # the address of the edit page, which only editors are shown


@pytest.fixture(autouse=True)
def fragments(settings):
    settings.HARAMBEE_CACHE_FRAGMENTS = True


@pytest.fixture
def url(partnership, lead):  # the lead makes it a partnership with a partner
    return partnership.get_absolute_url()


def queries(client, url) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in captured.captured_queries]


def tables(sqls: list[str]) -> list[str]:
    """The table each query reads (the sections' figures by their name)."""
    return [
        "section figures"
        if '"communities_published"' in sql
        else sql.split(" FROM ")[1].split()[0].strip('"')
        for sql in sqls
    ]


def test_a_visitors_second_get_reads_only_the_partnerships_row(client, url, partnership):
    client.get(reverse("partnerships:list"))  # the site-wide figures (the sectors' names)
    first, cold = queries(client, url)
    again, warm = queries(client, url)
    assert again == first
    # The partnership's row (the visibility rule), and nothing else.
    assert tables(warm) == ["partnerships_partnership"]
    assert "communities_" not in warm[0]  # the sections' figures are in the kept body
    # Rendering the body: the partners with their organisations, the milestones, the
    # sections' figures (one query), the sectors' codes, the cost sharing sums.
    assert tables(cold) == [
        "partnerships_partnership",
        "partnerships_partner",
        "partnerships_milestone",
        "section figures",
        "partnerships_partnership_sectors",
        "partnerships_contribution",
    ]


def test_a_change_through_a_service_shows_on_the_very_next_get(
    client, url, partnership, django_capture_on_commit_callbacks
):
    queries(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_update(partnership=partnership, title="Mesh network for Kilifi")
    assert "Mesh network for Kilifi" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.milestone_create(
            partnership=partnership, title="Masts raised", date=datetime.date(2026, 3, 1)
        )
    assert "Masts raised" in client.get(url).content.decode()


def test_the_next_day_renders_the_body_anew(client, url, monkeypatch):
    """What the page shows may change with the date (a scorecard's status): a body kept
    yesterday is not served today."""
    queries(client, url)
    assert len(queries(client, url)[1]) == 1
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    assert len(queries(client, url)[1]) > 1
    assert len(queries(client, url)[1]) == 1


def test_editors_never_get_the_kept_body_and_readers_never_get_theirs(
    client, url, lead, outsider, as_user
):
    editor, reader = as_user(lead), as_user(outsider)
    for _ in range(2):
        # The editor first, each time: what they are shown is never kept for anyone.
        assert EDIT in editor.get(url).content.decode()
        assert EDIT not in reader.get(url).content.decode()
        assert EDIT not in queries(client, url)[0]
        assert EDIT in editor.get(url).content.decode()


def test_signed_in_readers_and_visitors_each_get_their_own_body(client, url, outsider, as_user):
    signed_in = as_user(outsider)
    own_communities = "Your communities and their needs assessments"
    for _ in range(2):
        assert own_communities in signed_in.get(url).content.decode()
        assert own_communities not in client.get(url).content.decode()


def test_a_kept_body_holds_no_form_and_no_token(client, url, partnership, lead, outsider, as_user):
    services.partner_invite(
        partnership=partnership,
        organisation=MemberFactory(role=MemberRole.ADMIN).organisation,
        role=OrganisationRole.FUNDING,
        by=lead,
    )
    manager = as_user(lead)
    managers_page = manager.get(url).content.decode()
    assert "csrfmiddlewaretoken" in managers_page  # the lead may withdraw the invitation
    for reader in (client, as_user(outsider)):
        for _ in range(2):
            assert "csrfmiddlewaretoken" in manager.get(url).content.decode()
            html = reader.get(url).content.decode()
            assert "csrfmiddlewaretoken" not in html
            assert "<form" not in html.split('<main id="main">')[1]


def test_a_body_rendered_while_a_change_commits_is_kept_under_the_version_it_replaces(
    client, url, monkeypatch
):
    """The request reads the version before the row: when another process commits a
    change (and bumps) after this request read the row, the body rendered from that row
    is kept under the old version, so the next request renders it anew."""
    from partnerships import views

    read = views.get_partnership_for_user

    def read_then_bump_elsewhere(*args, **kwargs):
        row = read(*args, **kwargs)
        pagecache.page_cache().incr(pagecache.VERSION_KEY)  # another process's bump
        return row

    monkeypatch.setattr(views, "get_partnership_for_user", read_then_bump_elsewhere)
    queries(client, url)
    monkeypatch.setattr(views, "get_partnership_for_user", read)
    assert len(queries(client, url)[1]) > 1  # rendered anew, not the body of the old row
    assert len(queries(client, url)[1]) == 1


def test_a_partnership_made_private_is_404_on_the_very_next_get_despite_its_kept_body(
    client, url, partnership, lead, django_capture_on_commit_callbacks
):
    queries(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_set_visibility(
            partnership=partnership, visibility=Visibility.PRIVATE, by=lead
        )
    assert client.get(url).status_code == 404


def test_the_visibility_rule_holds_even_when_the_version_was_not_bumped(client, url, partnership):
    """A change made outside the services (an admin's SQL, say) bumps nothing: the kept
    body is still never shown for a partnership that is no longer public."""
    queries(client, url)
    type(partnership).objects.filter(pk=partnership.pk).update(visibility=Visibility.DRAFT)
    assert client.get(url).status_code == 404


def test_each_language_has_its_own_body(client, partnership, lead):
    translation_save(instance=partnership, language="fr", values={"title": "Kiosques solaires"})
    pagecache._bump_now()
    with translation.override("fr"):
        french = partnership.get_absolute_url()
    english = partnership.get_absolute_url()
    for _ in range(2):
        assert "Kiosques solaires" in client.get(french).content.decode()
        assert "Kiosques solaires" not in client.get(english).content.decode()


def test_with_fragments_off_the_body_is_rendered_every_time(client, url, settings):
    settings.HARAMBEE_CACHE_FRAGMENTS = False
    queries(client, url)  # the site-wide figures it shows (the sectors' names), once
    _, first = queries(client, url)
    _, again = queries(client, url)
    assert len(again) == len(first) == 5
