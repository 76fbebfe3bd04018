"""Each rule is written once: the page forms, the imports and the services agree on it."""

import pytest
from django.core.exceptions import ValidationError

from communities import columns, services
from communities.breakdown import breakdown_problems
from communities.forms import NeedForm, NeedRowForm, ParticipantsForm
from communities.models import MAX_RANK, TITLE_MAX_LENGTH, Need
from tests.communities.factories import add_needs

pytestmark = pytest.mark.django_db

TOO_MANY = {("sex", "female"): 30, ("sex", "male"): 20}


def test_the_grid_and_the_service_refuse_a_breakdown_with_the_same_message(assessment):
    form = ParticipantsForm({"total": 40, "sex__female": 30, "sex__male": 20})
    assert not form.is_valid()

    with pytest.raises(ValidationError) as refused:
        services.assessment_set_participants(assessment=assessment, total=40, counts=TOO_MANY)

    assert form.non_field_errors() == refused.value.messages == breakdown_problems(40, TOO_MANY)
    assert assessment.participant_counts.count() == 0


def test_the_import_refuses_a_breakdown_with_the_same_message(assessment):
    rows = [{"dimension": d, "category": c, "count": n} for (d, c), n in TOO_MANY.items()] + [
        {"dimension": "total", "category": "total", "count": 40}
    ]

    with pytest.raises(ValidationError) as refused:
        services.participants_import(assessment=assessment, rows=rows)

    assert refused.value.messages == breakdown_problems(40, TOO_MANY)


@pytest.mark.parametrize(
    ("title", "rank", "accepted"),
    [
        ("x" * TITLE_MAX_LENGTH, MAX_RANK, True),
        ("x" * (TITLE_MAX_LENGTH + 1), 1, False),
        ("A need", MAX_RANK + 1, False),
        ("A need", 0, False),
    ],
)
def test_the_page_form_the_import_row_and_the_service_agree_on_need_limits(
    assessment, title, rank, accepted
):
    page = NeedForm({"title": title, "priority_rank": rank, "severity": "high", "status": "open"})
    row = NeedRowForm(
        {"title": title, "priority_rank": str(rank), "severity": "high"}, sector_codes=frozenset()
    )
    imported = {"title": title, "priority_rank": rank, "severity": "high", "status": "open"}
    try:
        services.needs_import(assessment=assessment, rows=[imported])
        service_accepts = True
    except ValidationError:
        service_accepts = False

    assert (page.is_valid(), row.is_valid(), service_accepts) == (accepted,) * 3
    assert Need.objects.filter(assessment=assessment).count() == (1 if accepted else 0)


def test_an_exported_need_imports_back_as_the_same_need(assessment):
    (need,) = add_needs(assessment, 1, description="Said at the meeting")
    exported = dict(zip(columns.NEED_COLUMNS, columns.need_to_row(need), strict=True))
    row = NeedRowForm(
        {name: str(value) for name, value in exported.items()},
        sector_codes=frozenset([need.sector_id] if need.sector_id else []),
    )
    assert row.is_valid(), row.errors

    fields = columns.need_fields_from_row(row.cleaned_data)

    for name, value in fields.items():
        assert getattr(need, name) == value, name
