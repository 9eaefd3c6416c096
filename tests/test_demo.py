"""`tandem demo`: the Acme workspace a newcomer explores first. It must look like a real
company in the middle of a real quarter, whatever today is, and carry exactly the five
inconsistencies the conflict pages are there to show."""

import datetime
import io
from dataclasses import dataclass

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.db.models import F, Q, Sum
from django.test import override_settings
from django.utils import timezone

from tandem.accounts.models import Member, Role, User, Workspace
from tandem.activity.models import ChangeEvent
from tandem.domain.calendar import next_quarter, previous_quarter, quarter_of
from tandem.okrs.models import CheckIn, Cycle, CycleState, KeyResult, Objective
from tandem.reviews.baselines import drift_points
from tandem.reviews.models import Baseline
from tandem.roadmaps.models import (
    LIVE_STATUSES,
    Contribution,
    Dependency,
    Initiative,
    Insight,
    TeamCapacity,
)
from tandem.strategy.models import Pillar, Strategy, Team
from tests.factories import make_objective, make_team

pytestmark = pytest.mark.django_db

DEMO_EMAIL = "demo@example.com"
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The five inconsistencies, as a user reads them on the conflict pages.
EXPECTED = {
    "unsupported key results": ["Reduce cold start time from 3.4 s to 1.8 s"],
    "orphan initiatives": ["Rewrite the notification service in Go"],
    "teams over capacity": ["Growth"],
    "late deliveries": [
        ("Shard the primary database", "Move 100% of workspaces to the sharded database")
    ],
    "dependencies out of order": [
        ("Two-way Salesforce sync", "Field-level permissions in the API")
    ],
}


@dataclass(frozen=True)
class Run:
    stdout: str
    stderr: str


def run_demo(*args: str) -> Run:
    out, err = io.StringIO(), io.StringIO()
    call_command("demo", *args, stdout=out, stderr=err)
    return Run(out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """One Acme built today, shared by this module's tests (a build takes seconds) and
    rolled back when the module is done. Each test still runs in its own savepoint."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        yield run_demo()
        transaction.set_rollback(True)


def acme() -> Workspace:
    return Workspace.objects.get(slug="acme")


def cycle_in(state: str) -> Cycle:
    return Cycle.objects.in_workspace(acme()).get(state=state)


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def inconsistencies(workspace: Workspace) -> dict[str, list]:
    """The five inconsistencies, found with plain queries over the active cycle."""
    cycles = Cycle.objects.in_workspace(workspace)
    active = cycles.get(state=CycleState.ACTIVE)
    upcoming = cycles.get(state=CycleState.PLANNING)
    initiatives = Initiative.objects.in_workspace(workspace)
    live = initiatives.filter(status__in=LIVE_STATUSES)

    unsupported = (
        KeyResult.objects.in_cycle(active)
        .filter(needs_no_initiative=False)
        .exclude(contributions__initiative__status__in=LIVE_STATUSES)
    )
    orphans = live.exclude(contributions__key_result__objective__cycle__in=[active, upcoming])
    over = []
    for capacity in TeamCapacity.objects.filter(cycle=active).select_related("team"):
        load = (
            live.filter(team=capacity.team)
            .filter(Q(horizon="now") | Q(start_date__gte=active.start, end_date__lte=active.end))
            .aggregate(total=Sum("effort"))["total"]
        )
        if load and load > capacity.person_weeks:
            over.append(capacity.team.name)
    late = Contribution.objects.filter(
        key_result__objective__cycle=active,
        initiative__status__in=LIVE_STATUSES,
        initiative__end_date__gt=active.end,
    )
    out_of_order = Dependency.objects.in_workspace(workspace).filter(
        initiative__status__in=LIVE_STATUSES,
        initiative__start_date__lt=F("depends_on__end_date"),
    )
    return {
        "unsupported key results": sorted(unsupported.values_list("title", flat=True)),
        "orphan initiatives": sorted(orphans.values_list("title", flat=True)),
        "teams over capacity": sorted(over),
        "late deliveries": sorted(late.values_list("initiative__title", "key_result__title")),
        "dependencies out of order": sorted(
            out_of_order.values_list("initiative__title", "depends_on__title")
        ),
    }


def test_stdout_is_only_the_password_and_stderr_says_how_to_log_in(built):
    password = built.stdout.removesuffix("\n")
    assert built.stdout == password + "\n"
    assert password and "\n" not in password and " " not in password
    assert "Demo workspace 'Acme' is ready" in built.stderr
    assert f"{DEMO_EMAIL} with the password: {password}" in built.stderr


def test_the_printed_password_logs_dana_in_as_the_owner_of_acme(built):
    user = authenticate(email=DEMO_EMAIL, password=built.stdout.strip())
    assert user is not None and user.name == "Dana Demo"
    assert Member.objects.get(user=user, workspace=acme()).role == Role.OWNER


def test_acme_has_teams_of_real_people_and_a_strategy(built):
    workspace = acme()
    members = Member.objects.in_workspace(workspace).select_related("user")
    assert 10 <= members.count() <= 14
    assert {m.role for m in members} == {Role.OWNER, Role.ADMIN, Role.EDITOR, Role.VIEWER}
    colleagues = [m.user for m in members if m.user.email != DEMO_EMAIL]
    assert all(u.email.endswith("@acme.example") and " " in u.name for u in colleagues)
    # Only the demo login opens the demo: colleagues have no usable password.
    assert not any(u.has_usable_password() for u in colleagues)
    teams = Team.objects.in_workspace(workspace)
    assert {t.name for t in teams} >= {"Growth", "Onboarding", "Platform", "Integrations"}
    assert 5 <= teams.count() <= 7
    assert all(t.members.exists() for t in teams)
    assert Pillar.objects.in_workspace(workspace).count() == 4
    assert Strategy.objects.get(workspace=workspace).vision.startswith("## ")


def test_last_quarter_is_closed_and_graded_this_one_active_the_next_in_planning(built):
    today = timezone.localdate()
    closed, active, planning = (
        cycle_in(s) for s in (CycleState.CLOSED, CycleState.ACTIVE, CycleState.PLANNING)
    )
    assert closed.name == previous_quarter(today).name
    assert active.name == quarter_of(today).name and active.start <= today <= active.end
    assert planning.name == next_quarter(today).name
    graded = KeyResult.objects.in_cycle(closed)
    assert graded.count() >= 15
    assert not graded.filter(Q(grade__isnull=True) | Q(grade_comment="")).exists()
    grades = set(graded.values_list("grade", flat=True))
    assert min(grades) < 0.5 < max(grades) <= 1  # some hits, some misses
    assert not KeyResult.objects.in_cycle(planning).filter(check_ins__isnull=False).exists()


def test_the_active_quarter_has_about_20_objectives_and_60_key_results_of_every_kind(built):
    active = cycle_in(CycleState.ACTIVE)
    objectives = Objective.objects.in_cycle(active)
    assert 18 <= objectives.count() <= 22
    assert objectives.filter(team__isnull=True).exists()  # company level
    team_level = objectives.filter(team__isnull=False)
    assert team_level.exists() and not team_level.filter(parent__isnull=True).exists()
    assert not objectives.filter(pillar__isnull=True).exists()
    assert set(objectives.values_list("commitment", flat=True)) == {"committed", "aspirational"}
    key_results = KeyResult.objects.in_cycle(active)
    assert 55 <= key_results.count() <= 65
    kinds = set(key_results.values_list("kind", flat=True))
    assert kinds == {"increase", "decrease", "stay_above", "stay_below", "milestone"}
    assert set(key_results.values_list("unit", flat=True)) == {"number", "percent", "currency"}
    churn = key_results.get(title="Reduce monthly logo churn from 4.0% to 2.5%")
    assert (churn.kind, churn.start_value, churn.target_value) == ("decrease", 4, 2.5)


def test_every_active_key_result_has_weekly_check_ins_up_to_today(built):
    today = timezone.localdate()
    active = cycle_in(CycleState.ACTIVE)
    weeks = [today - datetime.timedelta(weeks=k) for k in range(8)]
    expected = sorted(d for d in weeks if d >= active.start)
    for key_result in KeyResult.objects.in_cycle(active):
        check_ins = list(key_result.check_ins.order_by("date"))
        assert [c.date for c in check_ins] == expected, key_result.title
        assert all(0 <= c.confidence <= 10 for c in check_ins)
        assert key_result.current_value == check_ins[-1].value
    notes = CheckIn.objects.in_workspace(acme()).exclude(note="")
    assert notes.count() > CheckIn.objects.in_workspace(acme()).count() / 2


def test_the_roadmap_has_dated_initiatives_in_every_horizon_with_links_and_insights(built):
    workspace = acme()
    initiatives = Initiative.objects.in_workspace(workspace)
    assert 75 <= initiatives.count() <= 90
    assert set(initiatives.values_list("horizon", flat=True)) == {"now", "next", "later"}
    assert {"idea", "planned", "in_progress", "done", "dropped"} == set(
        initiatives.values_list("status", flat=True)
    )
    live = initiatives.filter(status__in=LIVE_STATUSES)
    assert not live.filter(Q(start_date__isnull=True) | Q(team__isnull=True)).exists()
    assert not initiatives.filter(effort__lte=0).exists()
    assert not initiatives.filter(Q(impact__lt=0.25) | Q(impact__gt=3) | Q(reach=0)).exists()
    assert 2 <= len(set(initiatives.values_list("roadmap__name", flat=True))) <= 3
    assert Contribution.objects.in_workspace(workspace).count() >= 80
    assert Dependency.objects.in_workspace(workspace).count() >= 5
    insights = Insight.objects.filter(workspace=workspace)
    assert 140 <= insights.count() <= 160
    assert {"customer_feedback", "market_research"} == set(insights.values_list("kind", flat=True))
    assert insights.filter(status="new", initiatives__isnull=True).count() >= 10
    assert insights.filter(initiatives__isnull=False).distinct().count() >= 50
    active, planning = cycle_in(CycleState.ACTIVE), cycle_in(CycleState.PLANNING)
    for cycle in (active, planning):
        assert (
            TeamCapacity.objects.filter(cycle=cycle).count()
            == Team.objects.filter(workspace=workspace).count()
        )


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_each_deliberate_inconsistency_is_there_exactly_once(built, kind):
    assert inconsistencies(acme())[kind] == EXPECTED[kind]


def test_a_second_run_changes_nothing_and_prints_the_same_password(built):
    counts, events = row_counts(), ChangeEvent.objects.count()
    password_hash = User.objects.get(email=DEMO_EMAIL).password
    again = run_demo()
    assert again.stdout == built.stdout
    assert "already present, unchanged" in again.stderr
    assert row_counts() == counts
    assert ChangeEvent.objects.count() == events
    assert User.objects.get(email=DEMO_EMAIL).password == password_hash


def test_a_configured_password_wins_and_then_logs_in(built, monkeypatch):
    monkeypatch.setenv("TANDEM_DEMO_PASSWORD", "let-me-in-to-acme")
    assert run_demo().stdout == "let-me-in-to-acme\n"
    assert authenticate(email=DEMO_EMAIL, password="let-me-in-to-acme") is not None
    assert authenticate(email=DEMO_EMAIL, password=built.stdout.strip()) is None


def test_reset_rebuilds_acme_and_leaves_other_workspaces_untouched(built, outsider):
    make_objective(outsider, team=make_team(outsider, name="Globex Sales"))
    theirs = outsider.workspace

    def snapshot_of_theirs() -> dict[str, object]:
        return {
            "events": list(ChangeEvent.objects.in_workspace(theirs).values_list("id", "action")),
            "objectives": list(Objective.objects.in_workspace(theirs).values_list("id", "title")),
            "teams": list(Team.objects.in_workspace(theirs).values_list("id", "name")),
            "members": list(Member.objects.in_workspace(theirs).values_list("id", "role")),
        }

    before, old_acme = snapshot_of_theirs(), acme().pk
    acme_counts = {m: m.objects.in_workspace(acme()).count() for m in (Initiative, KeyResult)}

    reset = run_demo("--reset")

    assert snapshot_of_theirs() == before
    assert Workspace.objects.filter(pk=theirs.pk).exists()
    assert acme().pk != old_acme
    assert {m: m.objects.in_workspace(acme()).count() for m in acme_counts} == acme_counts
    assert reset.stdout == built.stdout
    assert "is ready" in reset.stderr


@pytest.mark.parametrize(
    "moment",
    [
        # The first day of a quarter: a single check-in, live work squeezed into it.
        datetime.datetime(2026, 7, 1, 9, 0, tzinfo=datetime.UTC),
        # The last day of a quarter: everything live ends with it, except the late one.
        datetime.datetime(2027, 3, 31, 17, 0, tzinfo=datetime.UTC),
    ],
)
def test_the_active_quarter_follows_today_and_keeps_its_inconsistencies(built, moment):
    with time_machine.travel(moment, tick=False):
        run_demo("--reset")
    today = moment.date()
    active = cycle_in(CycleState.ACTIVE)
    assert active.name == quarter_of(today).name and active.start <= today <= active.end
    assert cycle_in(CycleState.CLOSED).name == previous_quarter(today).name
    assert cycle_in(CycleState.PLANNING).name == next_quarter(today).name
    latest = CheckIn.objects.in_workspace(acme()).filter(key_result__objective__cycle=active)
    assert latest.latest("date").date == today
    assert inconsistencies(acme()) == EXPECTED


def test_the_active_quarter_has_baselines_and_recorded_drift():
    with time_machine.travel(datetime.datetime(2026, 11, 27, 12, tzinfo=datetime.UTC)):
        call_command("demo", stdout=io.StringIO(), stderr=io.StringIO())
        active = Cycle.objects.get(workspace__slug="acme", state="active")
        names = list(Baseline.objects.filter(cycle=active).values_list("name", flat=True))
        assert sorted(names) == ["After the monthly roadmap review", "Start of Q4 2026"]
        points = drift_points(active, datetime.date(2026, 11, 27))
    assert [day for day, _ in points] == [
        datetime.date(2026, 10, 1),
        datetime.date(2026, 11, 5),
        datetime.date(2026, 11, 27),
    ]
    drift = [value for _, value in points]
    assert drift[0] == 0 < drift[1] < drift[2]
