"""Publishing is its own visible action, the lead partner's, confirmed on a page of its own."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from partnerships import services
from partnerships.models import Partnership, Visibility
from tests.factories import ContributionFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

ACTIONS = {
    Visibility.PUBLIC: "partnerships:publish",
    Visibility.PRIVATE: "partnerships:make_private",
    Visibility.DRAFT: "partnerships:make_draft",
}
MIRRORED = "Its public data may already have been copied"


def action_url(partnership, visibility: str) -> str:
    return reverse(ACTIONS[visibility], args=[partnership.slug])


def set_stored(partnership, visibility: str) -> Partnership:
    Partnership.objects.filter(pk=partnership.pk).update(visibility=visibility)
    partnership.refresh_from_db()
    return partnership


@pytest.fixture
def draft(partnership, lead):
    return set_stored(partnership, Visibility.DRAFT)


def stored_visibility(partnership) -> str:
    return Partnership.objects.get(pk=partnership.pk).visibility


# --- the actions on the partnership page -----------------------------------------------------


def test_the_lead_sees_make_public_on_a_draft(as_user, draft, lead):
    html = as_user(lead).get(draft.get_absolute_url()).content.decode()
    assert action_url(draft, Visibility.PUBLIC) in html
    assert "Make public" in html
    assert action_url(draft, Visibility.PRIVATE) in html
    assert action_url(draft, Visibility.DRAFT) not in html  # it is a draft already


def test_the_lead_sees_make_private_and_back_to_draft_on_a_public_partnership(
    as_user, partnership, lead
):
    html = as_user(lead).get(partnership.get_absolute_url()).content.decode()
    assert action_url(partnership, Visibility.PUBLIC) not in html
    assert action_url(partnership, Visibility.PRIVATE) in html
    assert action_url(partnership, Visibility.DRAFT) in html


def test_other_partners_and_visitors_see_no_publishing_actions(
    as_user, client, partnership, lead, partner_staff, funder
):
    for browser in (as_user(partner_staff), as_user(funder), client):
        html = browser.get(partnership.get_absolute_url()).content.decode()
        for visibility in ACTIONS:
            assert action_url(partnership, visibility) not in html


# --- making it public ------------------------------------------------------------------------


def test_the_confirmation_page_says_what_becomes_public_and_changes_nothing(
    as_user, draft, lead, partner_staff
):
    response = as_user(lead).get(action_url(draft, Visibility.PUBLIC))
    assert response.status_code == 200
    html = response.content.decode()
    assert "What becomes public" in html
    assert "open data" in html
    for part in ("Cost sharing", "timeline", "community needs"):
        assert part in html
    for partner in draft.partners.select_related("organisation"):
        assert partner.organisation.name in html
    assert '<form method="post">' in html
    assert MIRRORED not in html
    assert stored_visibility(draft) == Visibility.DRAFT


def test_making_a_partnership_public_says_so_and_links_to_the_public_page(
    as_user, client, draft, lead
):
    assert client.get(draft.get_absolute_url()).status_code == 404
    response = as_user(lead).post(action_url(draft, Visibility.PUBLIC), follow=True)
    assert response.redirect_chain[-1] == (draft.get_absolute_url(), 302)
    html = response.content.decode()
    public_url = settings.SITE_URL.rstrip("/") + draft.get_absolute_url()
    assert "is now public" in html
    assert f'Its public page is <a href="{public_url}">{public_url}</a>' in html
    assert stored_visibility(draft) == Visibility.PUBLIC
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert draft in Partnership.objects.public()


def test_the_message_that_links_to_the_public_page_escapes_the_title(as_user, draft, lead):
    Partnership.objects.filter(pk=draft.pk).update(title="<b>Solar</b> & chargers")
    response = as_user(lead).post(action_url(draft, Visibility.PUBLIC), follow=True)
    html = response.content.decode()
    assert "“&lt;b&gt;Solar&lt;/b&gt; &amp; chargers” is now public" in html
    assert "<b>Solar</b>" not in html


def test_publishing_is_kept_in_the_history_with_who_decided(as_user, draft, lead):
    as_user(lead).post(action_url(draft, Visibility.PUBLIC))
    latest = draft.history.latest()
    assert latest.visibility == Visibility.PUBLIC
    assert latest.history_user == lead


# --- making it private or a draft again ------------------------------------------------------


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.DRAFT])
def test_unpublishing_warns_that_public_data_may_already_have_been_mirrored(
    as_user, client, partnership, lead, visibility
):
    response = as_user(lead).get(action_url(partnership, visibility))
    assert response.status_code == 200
    html = response.content.decode()
    assert MIRRORED in html
    assert "mirrored" in html
    assert stored_visibility(partnership) == Visibility.PUBLIC

    response = as_user(lead).post(action_url(partnership, visibility), follow=True)
    assert response.status_code == 200
    assert "only its partners and people given access see it" in response.content.decode()
    assert stored_visibility(partnership) == visibility
    assert client.get(partnership.get_absolute_url()).status_code == 404


def test_a_partnership_that_was_never_public_needs_no_mirroring_warning(as_user, draft, lead):
    html = as_user(lead).get(action_url(draft, Visibility.PRIVATE)).content.decode()
    assert MIRRORED not in html
    assert as_user(lead).post(action_url(draft, Visibility.PRIVATE)).status_code == 302
    assert stored_visibility(draft) == Visibility.PRIVATE


def test_asking_for_the_visibility_it_already_has_changes_nothing(as_user, partnership, lead):
    page = as_user(lead).get(action_url(partnership, Visibility.PUBLIC)).content.decode()
    assert "already public" in page
    assert '<form method="post">' not in page
    versions = partnership.history.count()
    response = as_user(lead).post(action_url(partnership, Visibility.PUBLIC), follow=True)
    assert "Nothing changed" in response.content.decode()
    assert partnership.history.count() == versions


# --- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize("visibility", list(ACTIONS))
def test_partners_other_than_the_lead_get_403_and_nothing_changes(
    as_user, partnership, lead, partner_staff, funder, outsider, visibility
):
    set_stored(partnership, Visibility.PRIVATE if visibility != Visibility.PRIVATE else "public")
    before = stored_visibility(partnership)
    for user in (partner_staff, funder):
        assert as_user(user).get(action_url(partnership, visibility)).status_code == 403
        assert as_user(user).post(action_url(partnership, visibility)).status_code == 403
    assert stored_visibility(partnership) == before


def test_outsiders_get_403_on_a_public_partnership(as_user, partnership, outsider):
    for visibility in (Visibility.PRIVATE, Visibility.DRAFT):
        assert as_user(outsider).post(action_url(partnership, visibility)).status_code == 403
    assert stored_visibility(partnership) == Visibility.PUBLIC


@pytest.mark.parametrize("hidden", [Visibility.DRAFT, Visibility.PRIVATE])
def test_hidden_partnerships_answer_404_to_outsiders(as_user, partnership, outsider, hidden):
    set_stored(partnership, hidden)
    for visibility in ACTIONS:
        assert as_user(outsider).get(action_url(partnership, visibility)).status_code == 404
        assert as_user(outsider).post(action_url(partnership, visibility)).status_code == 404
    assert stored_visibility(partnership) == hidden


def test_visitors_are_sent_to_sign_in(client, partnership):
    for method in (client.get, client.post):
        response = method(action_url(partnership, Visibility.PRIVATE))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    assert stored_visibility(partnership) == Visibility.PUBLIC


# --- not through the forms any more ----------------------------------------------------------


def test_new_partnerships_start_as_drafts_whatever_the_form_posts(as_user, lead, partnership):
    organisation = partnership.partners.get(is_lead=True).organisation
    data = {
        "title": "Solar school labs",
        "problem": "Schools have no power.",
        "status": "1",
        "visibility": "public",
        "lead_organisation": organisation.pk,
    }
    assert as_user(lead).post(reverse("partnerships:create"), data).status_code == 302
    assert Partnership.objects.get(title="Solar school labs").visibility == Visibility.DRAFT


def test_the_create_and_edit_forms_have_no_visibility_field(as_user, lead, partnership):
    for url in (
        reverse("partnerships:create"),
        reverse("partnerships:edit", args=[partnership.slug]),
    ):
        response = as_user(lead).get(url)
        assert response.status_code == 200
        assert "visibility" not in response.context["form"].fields
        assert 'name="visibility"' not in response.content.decode()


# --- the service -----------------------------------------------------------------------------


def test_the_service_refuses_an_unknown_visibility_and_changes_nothing(partnership, lead):
    with pytest.raises(ValidationError):
        services.partnership_set_visibility(partnership=partnership, visibility="secret", by=lead)
    assert stored_visibility(partnership) == Visibility.PUBLIC


def test_the_service_decides_from_the_stored_row_not_a_stale_copy(partnership, lead):
    stale = Partnership.objects.get(pk=partnership.pk)
    services.partnership_set_visibility(
        partnership=partnership, visibility=Visibility.PRIVATE, by=lead
    )
    versions = partnership.history.count()
    # The stale copy still says public; asking for private again must change nothing.
    services.partnership_set_visibility(partnership=stale, visibility=Visibility.PRIVATE, by=lead)
    assert stale.visibility == Visibility.PRIVATE
    assert partnership.history.count() == versions


def test_publishing_shows_cost_sharing_and_the_timeline_to_visitors(as_user, client, draft, lead):
    partner = draft.partners.get(is_lead=True)
    ContributionFactory(partner=partner, description="Solar panels")
    MilestoneFactory(partnership=draft, title="First school connected")
    as_user(lead).post(action_url(draft, Visibility.PUBLIC))
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "First school connected" in html
    assert "Pledged" in html  # the cost sharing table
    assert partner.organisation.name in html
