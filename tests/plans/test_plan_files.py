"""Plan as code: export, dry run, apply, and the errors a bad file gets."""

import io
import textwrap

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.accounts.models import User, Workspace
from tandem.accounts.services import workspace_create
from tandem.activity.feeds import feed_of_workspace
from tandem.activity.models import ChangeEvent
from tandem.domain.planfile import PlanInvalid
from tandem.domain.planfile_read import read_plan
from tandem.domain.planfile_write import write_plan
from tandem.okrs.models import CheckIn, Cycle, KeyResult, Objective
from tandem.plans import yamlio
from tandem.plans.applying import apply_plan
from tandem.plans.exporting import export_plan
from tandem.roadmaps.models import Initiative

PLAN = textwrap.dedent(
    """\
    format: 1
    vision: Every team runs on Acme.
    pillars:
    - key: adoption
      name: Effortless adoption
    teams:
    - key: growth
      name: Growth
      source: jira
      external_id: GRW
      url: https://jira.example/browse/GRW
    cycles:
    - key: q4
      name: Q4 2026
      start: 2026-10-01
      end: 2026-12-31
      state: active
      capacities:
        growth: 30
    objectives:
    - key: activation
      cycle: q4
      title: Activate new teams in their first week
      pillar: adoption
      team: growth
      key_results:
      - key: first-workflow
        title: Teams with a live workflow in week one
        unit: percent
        start: 20
        target: 60
        current: 35.5
    roadmaps:
    - key: core
      name: Core
    initiatives:
    - key: guided-setup
      roadmap: core
      title: Guided setup
      status: planned
      horizon: now
      start: 2026-10-05
      end: 2026-11-20
      team: growth
      effort: 8
      contributes:
      - key_result: first-workflow
        expected_delta: 15
    - key: templates
      roadmap: core
      title: Workflow templates
      depends_on:
      - guided-setup
    """
)


def _apply(by, text, *, dry_run=False, reason="Quarterly plan"):
    wanted, locations = read_plan(yamlio.load(text))
    return apply_plan(wanted=wanted, locations=locations, by=by, reason=reason, dry_run=dry_run)


def _export(workspace) -> str:
    return yamlio.dump(write_plan(export_plan(workspace)[0]))


def test_a_dry_run_says_what_would_change_and_writes_nothing(owner, rows):
    before = rows()
    result = _apply(owner, PLAN, dry_run=True)
    assert rows() == before
    text = result.text()
    assert text.startswith("Plan: 12 created, 0 changed, 0 archived, 0 removed.")
    assert "+ key result first-workflow: created" in text
    assert "    target: 60" in text
    assert "+ dependency templates > guided-setup: created" in text
    assert not result.applied


def test_apply_writes_the_plan_then_a_second_apply_changes_nothing(owner):
    result = _apply(owner, PLAN)
    assert result.applied
    key_result = KeyResult.objects.get(workspace=owner.workspace)
    assert key_result.current_value == 35.5
    # The value came without ceremony: an imported check-in, confidence unknown.
    check_in = CheckIn.objects.get(key_result=key_result)
    assert check_in.imported and check_in.confidence is None
    assert key_result.confidence is None
    again = _apply(owner, PLAN)
    assert again.diff.empty and not again.applied
    assert again.diff.summary() == "Plan: 0 created, 0 changed, 0 archived, 0 removed."


def test_one_summary_in_the_workspace_feed_while_each_object_keeps_its_history(owner):
    _apply(owner, PLAN, reason="Q4 planning")
    summaries = [e for e in feed_of_workspace(owner.workspace) if e.action == "plan_applied"]
    assert len(summaries) == 1 and summaries[0].reason == "Q4 planning"
    assert [e.action for e in feed_of_workspace(owner.workspace)] == ["plan_applied"]
    objective = Objective.objects.get(workspace=owner.workspace)
    assert ChangeEvent.objects.about(objective).get().reason == "Q4 planning"


def test_a_changed_file_changes_archives_and_removes(owner):
    _apply(owner, PLAN)
    edited = PLAN.replace("target: 60", "target: 70").replace(
        "- key: templates\n  roadmap: core\n  title: Workflow templates\n"
        "  depends_on:\n  - guided-setup\n",
        "",
    )
    result = _apply(owner, edited)
    text = result.diff.text()
    assert "~ key result first-workflow: changed\n    target: 60 → 70" in text
    assert "- initiative templates: archived\n    status: idea → dropped" in text
    assert "- dependency templates > guided-setup: removed" in text
    assert Initiative.objects.get(title="Workflow templates").status == "dropped"


def test_round_trip_to_an_empty_workspace_is_byte_identical(owner):
    _apply(owner, PLAN)
    exported = _export(owner.workspace)
    other = workspace_create(name="Elsewhere", owner=owner.user, slug="elsewhere")
    member = other.members.get()
    _apply(member, exported)
    assert _export(other) == exported
    assert "acme-test" not in exported and "Acme Test" not in exported


def test_the_demo_workspace_round_trips(db):
    call_command("demo", stdout=io.StringIO(), stderr=io.StringIO())
    acme = Workspace.objects.get(slug="acme")
    exported = _export(acme)
    empty = workspace_create(name="Empty", owner=User.objects.get(email="demo@example.com"))
    _apply(empty.members.get(), exported)
    assert _export(empty) == exported
    # Applied again to the demo itself, its own export changes nothing.
    assert _apply(acme.members.get(role="owner"), exported).diff.empty


def test_export_costs_the_same_queries_however_large_the_plan(owner, django_assert_num_queries):
    _apply(owner, PLAN)
    with django_assert_num_queries(11):
        small = export_plan(owner.workspace)
    bigger = PLAN + "".join(
        f"- key: more-{n}\n  roadmap: core\n  title: More {n}\n  depends_on: [templates]\n"
        f"  contributes:\n  - key_result: first-workflow\n"
        for n in range(5)
    )
    _apply(owner, bigger)
    with django_assert_num_queries(11):
        large = export_plan(owner.workspace)
    assert len(large[0]["initiative"]) == len(small[0]["initiative"]) + 5


def _refused(owner, rows, text):
    before = rows()
    with pytest.raises(PlanInvalid) as error:
        _apply(owner, text)
    assert rows() == before
    return [str(e) for e in error.value.errors]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            ("  start: 2026-10-01\n", "  start: 2026-10-01\n  finish: 2027-01-01\n"),
            "line 16, cycles[0].finish: Unknown field.",
        ),
        (
            ("pillar: adoption", "pillar: adoptoin"),
            "line 24, objectives[0].pillar: No pillar has the key 'adoptoin' in this file.",
        ),
        (
            ("end: 2026-11-20", "end: 2026-09-01"),
            "line 43, initiatives[0].end: The end comes before the start.",
        ),
        (
            (
                "  team: growth\n  effort: 8",
                "  team: growth\n  effort: 8\n  depends_on: [templates]",
            ),
            "The dependencies go round in a loop: guided-setup → templates → guided-setup.",
        ),
        (("format: 1", "format: 1\n  bad: [indent"), "line 2, file: Not valid YAML"),
        (
            ("target: 60", "target: .nan"),
            "line 31, objectives[0].key_results[0].target: Write a finite number",
        ),
    ],
)
def test_bad_files_name_the_line_and_field_and_write_nothing(owner, rows, edit, expected):
    old, new = edit
    assert old in PLAN
    errors = _refused(owner, rows, PLAN.replace(old, new, 1))
    assert any(expected in e for e in errors), errors


def test_a_rule_of_the_services_is_reported_at_its_line(owner, rows):
    # To decrease, the target must be below the start: the model's rule, found at apply.
    errors = _refused(
        owner, rows, PLAN.replace("    start: 20\n", "    kind: decrease\n    start: 20\n")
    )
    where = "line 32, objectives[0].key_results[0].target"
    assert errors == [f"{where}: To decrease, the target must be below the start."]


def test_a_file_too_large_is_refused_saying_the_limit(monkeypatch):
    monkeypatch.setattr(yamlio, "MAX_BYTES", 100)
    with pytest.raises(PlanInvalid) as error:
        yamlio.load(PLAN)
    assert "the limit is 100 bytes" in str(error.value)


def test_the_command_prints_the_dry_run_and_refuses_a_bad_file(owner, tmp_path, capsys):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN)
    call_command("plan", "apply", "acme-test", str(path), "--dry-run")
    assert "Plan: 12 created" in capsys.readouterr().out
    assert not Objective.objects.exists()
    path.write_text(PLAN.replace("title: Guided setup", "titel: Guided setup"))
    with pytest.raises(CommandError, match=r"plan.yaml: line 39, initiatives\[0\].titel"):
        call_command("plan", "apply", "acme-test", str(path))


def test_a_one_cycle_file_leaves_the_other_cycles_alone(owner):
    _apply(owner, PLAN)
    next_cycle = (
        "- key: q1\n  name: Q1 2027\n  start: 2027-01-01\n  end: 2027-03-31\n"
        "objectives:\n- key: later\n  cycle: q1\n  title: Later\n  key_results:\n"
        "  - key: later-kr\n    title: Later KR\n    target: 5\n"
    )
    both = PLAN.replace("objectives:\n", next_cycle, 1).replace(
        "    expected_delta: 15\n", "    expected_delta: 15\n  - key_result: later-kr\n", 1
    )
    assert "later-kr\n" in both and "- key_result: later-kr" in both
    _apply(owner, both)
    q4 = Cycle.objects.get(name="Q4 2026")
    only_q4 = yamlio.dump(write_plan(export_plan(owner.workspace, cycle=q4)[0]))
    assert "Q1 2027" not in only_q4
    result = _apply(owner, only_q4)
    assert result.diff.empty, result.diff.text()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("format: 1\npillars:\n- &p {key: a, name: A}\n- *p\n", "line 3, file: Anchors"),
        ("format: 1\nvision: " + "[" * 5000 + "]" * 5000 + "\n", "line 2, file: Not valid"),
        (b"format: 1\nvision: \xff\xfe\n", "line 1, file: Not valid YAML"),
        ("- just\n- a list\n", "line 1, file: Expected a mapping"),
    ],
)
def test_files_that_are_no_plan_are_refused_by_line(text, expected):
    with pytest.raises(PlanInvalid) as error:
        read_plan(yamlio.load(text))
    assert str(error.value).startswith(expected)


def test_one_summary_webhook_and_one_notification_for_the_whole_apply(owner, editor):
    from tandem.activity.fanout import fan_out
    from tandem.activity.models import Notification, WebhookDelivery
    from tandem.activity.watching import watch_start
    from tandem.activity.webhooks import webhook_create
    from tandem.strategy.services import team_create

    # The editor watches a team the file changes (its Jira reference is new).
    watch_start(obj=team_create(name="Growth", by=owner), by=editor)
    webhook_create(
        name="#plans",
        url="https://hooks.example/plans",
        format="slack",
        events=["plan_applied", "watched_change"],
        by=owner,
    )
    result = _apply(owner, PLAN, reason="Q4 planning")
    assert "~ team growth: changed" in result.diff.text()
    # What the outbox hands the activity subscriber after the commit: the whole batch.
    summary = ChangeEvent.objects.get(action="plan_applied")
    batch = ChangeEvent.objects.filter(batch=summary.batch)
    assert batch.count() > 12
    fan_out(workspace_id=owner.workspace_id, event_ids=list(batch.values_list("pk", flat=True)))
    text = "Olivia Owner applied a plan file (11 created, 1 changed): Q4 planning"
    assert list(WebhookDelivery.objects.values_list("event", "text")) == [("plan_applied", text)]
    assert list(Notification.objects.filter(recipient=editor).values_list("text", flat=True)) == []


def _generated(n: int) -> str:
    """A plan of n objectives with a key result each (a current value: a check-in) and n
    initiatives contributing to them."""
    lines = [
        "format: 1",
        "teams:\n- key: growth\n  name: Growth",
        "cycles:\n- key: q4\n  name: Q4\n  start: 2026-10-01\n  end: 2026-12-31",
        "objectives:",
    ]
    for i in range(n):
        lines.append(f"- key: o{i}\n  cycle: q4\n  title: Objective {i}\n  team: growth")
        lines.append(f"  key_results:\n  - key: kr{i}\n    title: KR {i}\n    target: 10")
        lines.append("    current: 4")
    lines.append("roadmaps:\n- key: core\n  name: Core\ninitiatives:")
    for i in range(n):
        lines.append(f"- key: i{i}\n  roadmap: core\n  title: Initiative {i}\n  team: growth")
        lines.append(f"  contributes:\n  - key_result: kr{i}\n  - key_result: kr{(i + 1) % n}")
    return "\n".join(lines) + "\n"


def test_an_apply_costs_the_same_queries_however_many_entries(owner):
    """Rows are written in batches, their lookups made once per kind: the queries of an
    apply do not grow with the plan (here 10 entries of each kind, then 25: one batch each,
    within SQLite's 999 parameters a query)."""
    counts = []
    for n in (10, 25):
        workspace = workspace_create(name=f"Plan {n}", owner=owner.user, slug=f"plan-{n}")
        with CaptureQueriesContext(connection) as queries:
            result = _apply(workspace.members.get(), _generated(n))
        assert result.applied and result.diff.count("created") == 3 + 5 * n
        counts.append(len(queries))
        key_results = KeyResult.objects.filter(workspace=workspace)
        assert {kr.current_value for kr in key_results} == {4}
        assert CheckIn.objects.filter(workspace=workspace, imported=True).count() == n
    assert counts[0] == counts[1], counts
    assert counts[1] < 50, counts


@pytest.mark.parametrize("day", ["2026-13-20", "2026-02-30", "2026-11-20 25:00:00"])
def test_a_date_that_does_not_exist_is_refused_at_its_line(owner, rows, day):
    # It looks like a date to YAML, which used to fail with a bare ValueError (a 500).
    errors = _refused(owner, rows, PLAN.replace("end: 2026-11-20", f"end: {day}", 1))
    assert errors == ["line 43, initiatives[0].end: Write a date as YYYY-MM-DD."]
