"""The visibility rule: only public partnerships reach visitors; existence is never revealed."""

import pytest
from django.urls import reverse

from partnerships.models import Partnership, Visibility
from tests.factories import OrganisationFactory, PartnerFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

HIDDEN = [Visibility.DRAFT, Visibility.PRIVATE]


def detail(partnership):
    return reverse("partnerships:detail", args=[partnership.slug])


def test_visitors_see_a_public_partnership(client, partnership):
    response = client.get(detail(partnership))
    assert response.status_code == 200
    assert partnership.title in response.content.decode()


@pytest.mark.parametrize("visibility", HIDDEN)
def test_it_hides_draft_and_private_partnerships_from_visitors(client, visibility):
    hidden = PartnershipFactory(visibility=visibility)
    assert client.get(detail(hidden)).status_code == 404


@pytest.mark.parametrize("visibility", HIDDEN)
def test_it_hides_draft_and_private_partnerships_from_staff_of_unrelated_organisations(
    as_user, outsider, visibility
):
    hidden = PartnershipFactory(visibility=visibility)
    assert as_user(outsider).get(detail(hidden)).status_code == 404


def test_a_hidden_partnership_answers_like_a_missing_one(client, outsider, as_user):
    hidden = PartnershipFactory(visibility=Visibility.PRIVATE)
    missing = as_user(outsider).get(reverse("partnerships:detail", args=["no-such-thing"]))
    forbidden = as_user(outsider).get(detail(hidden))
    assert missing.status_code == forbidden.status_code == 404


@pytest.mark.parametrize("visibility", HIDDEN)
def test_partner_staff_see_their_own_hidden_partnership(
    as_user, partnership, partner_staff, visibility
):
    Partnership.objects.filter(pk=partnership.pk).update(visibility=visibility)
    response = as_user(partner_staff).get(detail(partnership))
    assert response.status_code == 200


def test_staff_of_a_partner_that_left_no_longer_see_a_private_partnership(as_user, partnership):
    from datetime import date

    from tests.factories import MemberFactory

    Partnership.objects.filter(pk=partnership.pk).update(visibility=Visibility.PRIVATE)
    former = PartnerFactory(partnership=partnership, left_on=date(2026, 3, 1))
    user = MemberFactory(organisation=former.organisation).user
    assert as_user(user).get(detail(partnership)).status_code == 404


def test_the_list_shows_visitors_only_public_partnerships(client):
    public = PartnershipFactory(title="Open water data", visibility=Visibility.PUBLIC)
    draft = PartnershipFactory(title="Secret draft plan", visibility=Visibility.DRAFT)
    private = PartnershipFactory(title="Confidential pilot", visibility=Visibility.PRIVATE)
    html = client.get(reverse("partnerships:list")).content.decode()
    assert public.title in html
    assert draft.title not in html
    assert private.title not in html


def test_the_list_shows_partner_staff_their_own_drafts_but_not_others(as_user, partnership, lead):
    Partnership.objects.filter(pk=partnership.pk).update(visibility=Visibility.DRAFT)
    other = PartnershipFactory(title="Someone else's draft", visibility=Visibility.DRAFT)
    html = as_user(lead).get(reverse("partnerships:list")).content.decode()
    assert partnership.title in html
    assert other.title not in html


def test_an_organisation_page_lists_only_the_partnerships_the_viewer_may_see(client):
    hidden = PartnershipFactory(title="Unannounced venture", visibility=Visibility.DRAFT)
    shown = PartnershipFactory(title="Announced venture", visibility=Visibility.PUBLIC)
    partner = PartnerFactory(partnership=hidden)
    PartnerFactory(partnership=shown, organisation=partner.organisation)
    html = client.get(partner.organisation.get_absolute_url()).content.decode()
    assert shown.title in html
    assert hidden.title not in html


def test_the_home_page_counts_only_public_partnerships(client):
    PartnershipFactory.create_batch(3, visibility=Visibility.PUBLIC)
    PartnershipFactory.create_batch(2, visibility=Visibility.DRAFT)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["figures"].partnerships == 3


def test_text_search_finds_a_partnership_written_in_another_language(client):
    PartnershipFactory(title="Radio communautaire", title_en=None, title_fr="Radio communautaire")
    response = client.get(reverse("partnerships:list"), {"q": "communautaire"})
    assert response.context["page"].paginator.count == 1


def test_filters_narrow_the_list(client):
    from partnerships.models import Sector

    ict = Sector.objects.get(code="22040")
    match = PartnershipFactory(recipient_countries=["UG"], status=2)
    match.sectors.add(ict)
    PartnerFactory(partnership=match, organisation=OrganisationFactory(acronym="UCC"))
    PartnershipFactory(recipient_countries=["KE"], status=2).sectors.add(ict)
    PartnershipFactory(recipient_countries=["UG"], status=4)
    response = client.get(
        reverse("partnerships:list"),
        {"country": "UG", "sector": "22040", "status": "2", "organisation": "UCC"},
    )
    assert [p.pk for p in response.context["page"]] == [match.pk]


def test_an_invalid_filter_is_reported_not_a_crash(client, partnership):
    response = client.get(reverse("partnerships:list"), {"status": "99", "sector": "00000"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_a_partner_leaving_later_still_counts_on_the_card(client, partnership):
    from datetime import timedelta

    from django.utils import timezone

    PartnerFactory(partnership=partnership, left_on=timezone.localdate() + timedelta(days=30))
    PartnerFactory(partnership=partnership, left_on=timezone.localdate() - timedelta(days=1))
    page = client.get(reverse("partnerships:list")).context["page"]
    card = next(p for p in page if p.pk == partnership.pk)
    assert card.partner_count == len(card.current_partners) == 1
