"""The demo world and the benchmark scale builder."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from partnerships.codelists import ActivityStatus, OrganisationType
from partnerships.models import (
    Contribution,
    Milestone,
    Organisation,
    Partner,
    Partnership,
    Visibility,
)

pytestmark = pytest.mark.django_db


def test_the_demo_world_has_every_status_visibility_and_organisation_type(capsys):
    call_command("seed_demo")
    assert set(Partnership.objects.values_list("status", flat=True)) == set(ActivityStatus.values)
    assert set(Partnership.objects.values_list("visibility", flat=True)) == set(Visibility.values)
    assert set(Organisation.objects.values_list("type", flat=True)) == set(OrganisationType.values)
    assert Contribution.objects.filter(status="defaulted").exists()
    assert Milestone.objects.exists()
    output = capsys.readouterr().out
    for email in ["lead@demo.harambee.org", "funder@demo.harambee.org", "admin@demo.harambee.org"]:
        assert email in output
        assert User.objects.get(email=email).check_password("harambee-demo")


def test_seeding_twice_with_if_empty_changes_nothing():
    call_command("seed_demo")
    before = Partnership.objects.count()
    call_command("seed_demo", "--if-empty")
    assert Partnership.objects.count() == before
    with pytest.raises(CommandError):
        call_command("seed_demo")


def test_scale_builds_n_partnerships_with_proportional_rows():
    call_command("seed_demo", "--scale", "40")
    assert Partnership.objects.count() == 40
    assert Partner.objects.count() == 120
    assert Contribution.objects.count() == 240
    assert Partnership.objects.filter(partners__is_lead=True).distinct().count() == 40
