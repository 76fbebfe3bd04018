"""A signed-in user without an organisation is told how to get one, not refused."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["partnerships:create", "communities:create"])
def test_someone_without_an_organisation_is_told_to_register_or_join_one(
    user_without_organisation, as_user, page
):
    response = as_user(user_without_organisation).get(reverse(page))

    html = response.content.decode()
    assert "your organisation&#x27;s role" not in html
    assert "you need one first" in html
    assert f'href="{reverse("partnerships:organisation_create")}"' in html
    assert f'href="{reverse("partnerships:organisation_list")}"' in html


def test_someone_without_an_organisation_cannot_post_a_partnership_either(
    user_without_organisation, as_user
):
    response = as_user(user_without_organisation).post(
        reverse("partnerships:create"), {"title": "Water", "problem": "Pumps break"}
    )

    assert response.status_code == 403
    assert "you need one first" in response.content.decode()


def test_staff_of_an_organisation_still_get_the_form(lead, as_user):
    response = as_user(lead).get(reverse("partnerships:create"))

    assert response.status_code == 200
    assert 'name="title"' in response.content.decode()
