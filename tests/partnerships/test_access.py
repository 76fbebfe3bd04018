"""The access layer: public ∪ partnered ∪ granted, and what a grant opens and never opens."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from partnerships import access, services
from partnerships.models import AccessGrant, GrantCapacity, Partnership, Visibility
from tests.factories import MemberFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def private(partnership):
    partnership.visibility = Visibility.PRIVATE
    partnership.save(update_fields=["visibility"])
    return partnership


def detail(client, partnership):
    return client.get(reverse("partnerships:detail", args=[partnership.slug]))


def grant(partnership, *, by, **holder):
    return services.grant_create(
        partnership=partnership, capacity=GrantCapacity.REVIEWER, granted_by=by, **holder
    )


def test_a_grant_lets_its_holder_read_a_private_partnership(private, lead, panel_member, as_user):
    client = as_user(panel_member)
    assert detail(client, private).status_code == 404

    grant(private, by=lead, user=panel_member)

    assert detail(client, private).status_code == 200
    assert private in Partnership.objects.visible_to(panel_member)


def test_a_grant_to_an_organisation_opens_the_partnership_to_its_staff(
    private, lead, panel_member, as_user
):
    organisation = panel_member.memberships.get().organisation
    colleague = MemberFactory(organisation=organisation).user

    grant(private, by=lead, organisation=organisation)

    assert detail(as_user(colleague), private).status_code == 200
    assert detail(as_user(panel_member), private).status_code == 200


def test_a_grant_stops_opening_the_partnership_when_it_expires(
    private, lead, panel_member, as_user
):
    given = grant(
        private, by=lead, user=panel_member, expires_at=timezone.now() + timedelta(days=1)
    )
    client = as_user(panel_member)
    assert detail(client, private).status_code == 200

    AccessGrant.objects.filter(pk=given.pk).update(expires_at=timezone.now() - timedelta(hours=1))

    assert detail(client, private).status_code == 404
    assert private not in Partnership.objects.visible_to(panel_member)


def test_a_grant_stops_opening_the_partnership_when_it_is_revoked(
    private, lead, panel_member, as_user
):
    given = grant(private, by=lead, user=panel_member)
    client = as_user(panel_member)
    assert detail(client, private).status_code == 200

    revoked = services.grant_revoke(grant=given, by=lead)

    assert revoked.revoked_by == lead
    assert not revoked.is_active
    assert detail(client, private).status_code == 404
    assert revoked.history.count() == 2  # created, then revoked: kept in the history


def test_a_grant_holder_reads_but_cannot_edit(private, lead, panel_member, as_user):
    grant(private, by=lead, user=panel_member)
    client = as_user(panel_member)

    assert client.get(reverse("partnerships:edit", args=[private.slug])).status_code == 403
    add_partner = reverse("partnerships:partner_add", args=[private.slug])
    assert client.get(add_partner).status_code == 403
    assert access.grant_capacities(panel_member, private.pk) == {GrantCapacity.REVIEWER}


def test_granting_again_renews_the_one_active_grant(private, lead, panel_member):
    first = grant(private, by=lead, user=panel_member)
    later = timezone.now() + timedelta(days=30)

    again = grant(private, by=lead, user=panel_member, expires_at=later)

    assert again.pk == first.pk
    assert AccessGrant.objects.filter(partnership=private).count() == 1
    assert AccessGrant.objects.get(pk=first.pk).expires_at == later


def test_a_grant_that_expires_in_the_past_is_refused_and_nothing_is_saved(
    private, lead, panel_member
):
    with pytest.raises(ValidationError):
        grant(private, by=lead, user=panel_member, expires_at=timezone.now() - timedelta(days=1))

    assert not AccessGrant.objects.exists()


def test_a_grant_needs_a_person_or_an_organisation_but_not_both(private, lead, panel_member):
    with pytest.raises(ValidationError):
        grant(private, by=lead)
    with pytest.raises(ValidationError):
        grant(
            private,
            by=lead,
            user=panel_member,
            organisation=panel_member.memberships.get().organisation,
        )

    assert not AccessGrant.objects.exists()


def test_a_partner_that_left_no_longer_sees_a_private_partnership(private, as_user):
    member = MemberFactory()
    partner = PartnerFactory(partnership=private, organisation=member.organisation)
    client = as_user(member.user)
    assert detail(client, private).status_code == 200

    partner.left_on = timezone.localdate() - timedelta(days=1)
    partner.save(update_fields=["left_on"])

    assert detail(client, private).status_code == 404


def test_the_access_functions_answer_for_visitors_without_a_query(
    private, django_assert_num_queries
):
    from django.contrib.auth.models import AnonymousUser

    visitor = AnonymousUser()
    with django_assert_num_queries(0):
        assert not access.is_partner_staff(visitor, private.pk)
        assert not access.has_an_organisation(visitor)
        assert access.grant_capacities(visitor, private.pk) == frozenset()
        assert list(access.organisations_of(visitor)) == []
