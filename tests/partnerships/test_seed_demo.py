"""The demo world and the benchmark scale builder."""

import ast
import importlib.util
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from communities.models import (
    AssessmentStatus,
    Community,
    CommunityAsset,
    Need,
    NeedsAssessment,
    ParticipantCount,
)
from harambee.demo import demo_modules
from harambee.i18n import language_codes
from partnerships.codelists import ActivityStatus, OrganisationType
from partnerships.models import (
    Contribution,
    ContributionStatus,
    Milestone,
    Organisation,
    Partner,
    Partnership,
    Visibility,
)

pytestmark = pytest.mark.django_db

BOTH_WORLDS = pytest.mark.parametrize("args", [[], ["--scale", "40"]], ids=["demo", "scale"])


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


def test_the_demo_world_has_one_login_per_role_and_the_communities_of_the_next_app(capsys):
    call_command("seed_demo")

    output = capsys.readouterr().out
    assert output.count("@demo.harambee.org") == 6
    assert Partnership.objects.count() == 8
    assert Community.objects.count() == 3
    assert NeedsAssessment.objects.published().count() == 3


def test_seed_demo_refuses_a_negative_scale():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--scale", "-1")


def test_the_apps_demo_modules_run_in_installed_apps_order():
    names = [module.__name__ for module in demo_modules()]

    assert names[:2] == ["partnerships.demo", "communities.demo"]
    assert "harambee.demo" not in names  # it describes the world and builds nothing


@BOTH_WORLDS
def test_every_activity_identifier_lies_in_its_lead_organisations_namespace(args):
    call_command("seed_demo", *args)

    registered = set(Organisation.objects.values_list("iati_identifier", flat=True))
    assert None not in registered
    leads = Partner.objects.filter(is_lead=True).values_list(
        "partnership__iati_identifier", "organisation__iati_identifier"
    )
    for activity, lead in leads:
        owners = [org for org in registered if activity.startswith(f"{org}-")]
        assert max(owners, key=len) == lead, activity


def test_no_demo_organisation_identifier_is_a_prefix_of_another():
    call_command("seed_demo")

    identifiers = list(Organisation.objects.values_list("iati_identifier", flat=True))
    assert len(set(identifiers)) == 13
    assert [(a, b) for a in identifiers for b in identifiers if b.startswith(f"{a}-")] == []


@BOTH_WORLDS
def test_no_money_is_delivered_before_a_partnership_starts(args):
    call_command("seed_demo", *args)

    not_started = Contribution.objects.filter(partner__partnership__actual_start__isnull=True)
    assert not_started.exists()
    assert not not_started.exclude(status=ContributionStatus.PLEDGED).exists()
    assert not Partnership.objects.filter(
        status=ActivityStatus.PIPELINE, actual_start__isnull=False
    ).exists()


@BOTH_WORLDS
def test_no_partner_joins_in_the_future_or_before_a_started_partnership(args):
    call_command("seed_demo", *args)

    today = timezone.localdate()
    assert not Partner.objects.filter(joined_on__gt=today).exists()
    assert not Partner.objects.filter(joined_on__lt=F("partnership__actual_start")).exists()
    assert not Partner.objects.filter(left_on__lt=F("joined_on")).exists()


@BOTH_WORLDS
def test_past_milestones_are_achieved_or_explained_and_future_ones_are_pending(args):
    call_command("seed_demo", *args)

    today = timezone.localdate()
    assert not Milestone.objects.filter(date__gt=today, achieved=True).exists()
    unexplained = Milestone.objects.filter(date__lte=today, achieved=False, description_en="")
    assert not unexplained.exists()


@BOTH_WORLDS
def test_ended_partnerships_ended_in_the_past_after_they_started(args):
    call_command("seed_demo", *args)

    ended = Partnership.objects.filter(status__in=[ActivityStatus.CLOSED, ActivityStatus.CANCELLED])
    assert ended.exists()
    assert not ended.filter(actual_end__isnull=True).exists()
    assert not ended.filter(actual_end__gt=timezone.localdate()).exists()
    assert not ended.filter(actual_end__lt=F("actual_start")).exists()


def test_scale_builds_communities_assessments_participant_counts_and_needs():
    call_command("seed_demo", "--scale", "40")

    assert Community.objects.count() >= 4
    published = NeedsAssessment.objects.published()
    assert set(published.values_list("community", flat=True)) == set(
        Community.objects.values_list("pk", flat=True)
    )
    assert NeedsAssessment.objects.filter(status=AssessmentStatus.DRAFT).exists()
    assert (
        not published.filter(partnership__slug__startswith="bench-")
        .exclude(partnership__visibility=Visibility.PUBLIC)
        .exists()
    )
    counts = ParticipantCount.objects.filter(assessment__in=published)
    assert counts.values("dimension").distinct().count() >= 3
    assert counts.filter(count__lt=5).exists()
    needs_per_assessment = published.annotate(n=Count("needs")).values_list("n", flat=True)
    assert min(needs_per_assessment) >= 3


def test_scale_rows_have_their_english_columns_set():
    call_command("seed_demo", "--scale", "20")

    assert not Partnership.objects.exclude(title_en=F("title")).exists()
    assert not Milestone.objects.exclude(title_en=F("title")).exists()
    assert not NeedsAssessment.objects.exclude(title_en=F("title")).exists()
    assert not Need.objects.exclude(title_en=F("title")).exists()
    assert not Community.objects.exclude(description_en=F("description")).exists()


def test_participant_counts_at_scale_never_add_up_to_more_than_the_total():
    call_command("seed_demo", "--scale", "40")

    assert ParticipantCount.objects.exists()
    for assessment in NeedsAssessment.objects.prefetch_related("participant_counts"):
        by_dimension: dict[str, int] = {}
        for cell in assessment.participant_counts.all():
            by_dimension[cell.dimension] = by_dimension.get(cell.dimension, 0) + cell.count
        assert all(n <= assessment.participants_total for n in by_dimension.values())


def test_scale_runs_add_up_for_the_benchmarks():
    call_command("seed_demo", "--scale", "10")
    call_command("seed_demo", "--scale", "30")

    assert Partnership.objects.count() == 40
    assert Community.objects.count() == 1 + 3
    identifiers = Partnership.objects.values_list("iati_identifier", flat=True)
    assert len(set(identifiers)) == 40


def test_scale_is_set_based_the_queries_do_not_grow_with_n():
    with CaptureQueriesContext(connection) as small:
        call_command("seed_demo", "--scale", "10")
    with CaptureQueriesContext(connection) as large:
        call_command("seed_demo", "--scale", "100")

    # Per table one batched insert, and a count (to number the rows) or a max and a
    # read-back (to learn their keys): organisations, partnerships, sectors, partners,
    # contributions, milestones; communities, their organisations, assessments, participant
    # counts, needs, assets; a savepoint around it all (30 queries with these two apps).
    assert len(large) == len(small)
    assert len(large) < 100
    assert Community.objects.count() == 1 + 10


def test_only_partnerships_builds_partnerships_with_their_partners_and_no_communities(capsys):
    call_command("seed_demo", "--scale", "20", "--only", "partnerships")

    assert Partnership.objects.count() == 20
    assert Partner.objects.count() == 60
    assert Contribution.objects.count() == 120
    assert Milestone.objects.count() == 60
    assert Partnership.objects.public().filter(partners__is_lead=True).exists()
    assert not Community.objects.exists()
    assert not NeedsAssessment.objects.exists()
    assert "Added 20 partnerships (only partnerships)." in capsys.readouterr().out


def test_only_builds_the_parts_of_the_apps_it_names():
    call_command("seed_demo", "--scale", "20", "--only", " communities , partnerships")

    assert Partnership.objects.count() == 20
    assert Community.objects.count() == 2
    assert NeedsAssessment.objects.published().exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scale", "20", "--only", "partnership"], "unknown app label partnership"),
        (["--scale", "20", "--only", ","], "no app label"),
        (["--scale", "20", "--only", "communities"], "must include partnerships"),
        (["--only", "partnerships"], "use it with --scale N"),
    ],
    ids=["unknown app", "empty", "without partnerships", "without scale"],
)
def test_seed_demo_refuses_an_only_it_cannot_build_and_says_why(args, message):
    with pytest.raises(CommandError, match=message) as refused:
        call_command("seed_demo", *args)

    if "unknown" in message:
        assert "partnerships, communities" in str(refused.value)  # the labels to choose from
    assert not Organisation.objects.exists()


def test_the_same_seed_builds_the_same_scale_world():
    call_command("seed_demo", "--scale", "20", "--seed", "7")
    first = list(Partnership.objects.order_by("pk").values_list("status", "visibility"))
    Partnership.objects.all().delete()
    Community.objects.all().delete()

    call_command("seed_demo", "--scale", "20", "--seed", "7")

    assert list(Partnership.objects.order_by("pk").values_list("status", "visibility")) == first


def test_pipeline_demo_partnerships_start_in_the_future_and_the_others_have_started():
    call_command("seed_demo")

    today = timezone.localdate()
    pipeline = Partnership.objects.filter(status=ActivityStatus.PIPELINE)
    assert all(p.planned_start > today for p in pipeline)
    started = Partnership.objects.exclude(status=ActivityStatus.PIPELINE)
    assert all(p.actual_start == p.planned_start <= today - timedelta(days=1) for p in started)


# --- no import of a later app ----------------------------------------------------------------

EARLIER_PACKAGES = {"harambee", "accounts", "partnerships"}
LATER_APPS = {"communities", "scorecards", "reviews", "scorecards_community", "opendata"}
COMPOSERS = {"harambee.urls", "harambee.views"}  # they compose every app, by design


def _modules_imported_by(name: str) -> set[str]:
    """Every module (and possible module) that ``name`` imports, anywhere in its source."""
    origin = importlib.util.find_spec(name).origin
    tree = ast.parse(Path(origin).read_text(), filename=origin)
    found = set()
    for node in ast.walk(tree):  # imports inside functions count: that was the old cycle
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            package = name if origin.endswith("__init__.py") else name.rpartition(".")[0]
            base = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {m.rsplit(".", i)[0] for m in found for i in range(m.count(".") + 1)}


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, AttributeError, ValueError):
        return False


def _reachable_later_apps(start: str, earlier: set[str] = EARLIER_PACKAGES) -> set[str]:
    """What ``start`` imports from a later app, following its imports of earlier packages."""
    seen, todo, later = set(), [start], set()
    while todo:
        name = todo.pop()
        if name in seen or name in COMPOSERS:
            continue
        seen.add(name)
        for imported in _modules_imported_by(name):
            top = imported.split(".")[0]
            if top in LATER_APPS:
                later.add(f"{name} imports {imported}")
            elif top in earlier and imported not in seen and _is_module(imported):
                todo.append(imported)
    return later


@pytest.mark.parametrize(
    "module", ["partnerships.management.commands.seed_demo", "partnerships.demo"]
)
def test_the_seed_command_and_the_partnerships_demo_never_reach_a_later_app(module):
    assert _reachable_later_apps(module) == set()


def test_the_import_check_sees_the_old_cycle(tmp_path, monkeypatch):
    # Guards the guard: an import of communities inside a function of a module that the
    # command imports (the old cycle, one step removed) is found.
    package = tmp_path / "partnerships_example"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "command.py").write_text("from . import helper\n")
    (package / "helper.py").write_text("def handle():\n    from communities.demo import build\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    found = _reachable_later_apps("partnerships_example.command", {"partnerships_example"})

    assert found == {
        "partnerships_example.helper imports communities",
        "partnerships_example.helper imports communities.demo",
        "partnerships_example.helper imports communities.demo.build",
    }


def test_the_demo_world_is_never_built_in_production_mode(settings):
    settings.PRODUCTION = True

    call_command("seed_demo", "--if-empty")

    assert not Organisation.objects.exists()
    with pytest.raises(CommandError):
        call_command("seed_demo")


# --- the demo world in four languages ---------------------------------------------------------

DEMO_TEXTS = {
    # every hand-written record of these models has these fields in every language
    Organisation: ("description",),
    Partnership: ("title", "problem", "summary"),
    Milestone: ("title", "description"),
    Community: ("description",),
    NeedsAssessment: ("title",),
    Need: ("title", "description"),
    CommunityAsset: ("title",),
}


def _columns(record, field: str) -> dict[str, str]:
    return {code: getattr(record, f"{field}_{code}") for code in language_codes()}


def test_every_demo_record_has_its_text_in_all_four_languages():
    call_command("seed_demo")

    assert language_codes() == ["en", "fr", "es", "sw"]
    for model, fields in DEMO_TEXTS.items():
        records = list(model.objects.all())
        assert records, model.__name__
        for record in records:
            for field in fields:
                for code, text in _columns(record, field).items():
                    assert text.strip(), f"{model.__name__} {record.pk} {field}_{code}"
                # the untranslated field (and the slug made from it) stays English
                assert getattr(record, f"{field}_en") == record.__dict__[field]


def test_demo_translations_are_not_copies_of_the_english():
    call_command("seed_demo")

    for model, fields in DEMO_TEXTS.items():
        for record in model.objects.all():
            for field in fields:
                texts = _columns(record, field)
                assert len(set(texts.values())) == len(texts), (model.__name__, field, texts)


def test_some_demo_records_were_written_first_in_swahili_french_or_spanish():
    call_command("seed_demo")

    def written_in(model, **lookup):
        return set(model.objects.filter(**lookup).values_list("source_language", flat=True))

    assert written_in(Partnership) == {"en", "sw", "fr", "es"}
    assert written_in(
        Partnership, partners__organisation__iati_identifier="KE-NCB-TCN001", partners__is_lead=True
    ) == {"sw"}
    assert written_in(Organisation) == {"en", "sw", "fr", "es"}
    assert written_in(Community) == {"sw", "fr", "es"}
    assert written_in(Need, assessment__community__country="KE") == {"sw"}
    assert written_in(Need, assessment__community__country="SN") == {"fr"}
    assert written_in(Need, assessment__community__country="PE") == {"es"}
    assert written_in(NeedsAssessment) == {"sw", "fr", "es"}
    assert written_in(CommunityAsset) == {"sw", "fr", "es"}
    maize = Partnership.objects.get(title_en="Community radio and SMS for maize prices")
    assert maize.source_language == "sw"
    assert maize.title_sw == "Redio ya jamii na SMS kwa bei za mahindi"
    assert not Milestone.objects.exclude(source_language=F("partnership__source_language")).exists()
    for code in ("sw", "fr", "es"):
        # each original is a real text in its language, not the English
        for partnership in Partnership.objects.filter(source_language=code):
            assert getattr(partnership, f"summary_{code}") != partnership.summary_en


def test_no_demo_summary_or_description_is_boilerplate():
    call_command("seed_demo")

    partnership_of_n = re.compile(r"a partnership of \d+ organisations", re.IGNORECASE)
    for partnership in Partnership.objects.all():
        for text in _columns(partnership, "summary").values():
            assert not partnership_of_n.search(text), text
            assert not text.startswith(partnership.title_en)
            assert len(text) > 80, text  # a sentence or two, not a label
    for organisation in Organisation.objects.all():
        for text in _columns(organisation, "description").values():
            assert "works on digital inclusion" not in text
            assert not text.startswith(organisation.name), text
    summaries = list(Partnership.objects.values_list("summary_en", flat=True))
    assert len(set(summaries)) == len(summaries)


def test_demo_milestones_say_what_was_done_what_is_planned_or_why_not_in_every_language():
    call_command("seed_demo")

    today = timezone.localdate()
    cancelled = Milestone.objects.filter(partnership__status=ActivityStatus.CANCELLED)
    not_reached = cancelled.filter(date__gt=F("partnership__actual_end"))
    assert not_reached.exists()
    for milestone in not_reached:
        assert milestone.description_en.startswith("Not reached")
        assert milestone.description_fr.startswith("Non atteint")
    done = Milestone.objects.filter(achieved=True)
    planned = Milestone.objects.filter(date__gt=today)
    assert done.exists() and planned.exists()
    assert not set(done.values_list("description_sw", flat=True)) & set(
        planned.values_list("description_sw", flat=True)
    )


def test_scale_rows_are_written_in_english():
    call_command("seed_demo", "--scale", "20")

    for model in DEMO_TEXTS:
        assert set(model.objects.values_list("source_language", flat=True)) <= {"en"}
    assert Partnership.objects.filter(source_language="en").count() == 20
