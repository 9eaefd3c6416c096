"""Issue 5: load the plan snapshot and run a full detection on a very large plan."""

import datetime
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import Member, Workspace
from tandem.conflicts.detection import conflicts_detect
from tandem.conflicts.models import Conflict as StoredConflict
from tandem.domain.conflict_rules import detect
from tandem.domain.conflicts import Conflict
from tandem.domain.plan import PlanSnapshot
from tandem.domain.whatif import Edit, Evaluation, evaluate, fix_effects
from tandem.planning.snapshot import load_plan
from tandem.roadmaps.models import Initiative
from tandem.roadmaps.services import initiative_update
from tests.bench.scale import build_plan
from tests.bench.timing import median_ms


def _seconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def run() -> None:
    print("== Conflict detection: 10,000 initiatives, 30,000 key results, 60,000 contributions,")
    print("   500 teams (goal: detection under 1 s and no slower than loading the snapshot)")
    started = time.perf_counter()
    workspace = build_plan(
        slug="bench-conflicts",
        teams=500,
        objectives=6000,
        key_results=30_000,
        initiatives=10_000,
        contributions=60_000,
        dependencies=5000,
    )
    print(f"   built in {time.perf_counter() - started:.1f} s")
    today = timezone.localdate()
    load_ms = median_ms(lambda: load_plan(workspace, today), repeat=3)
    plan = load_plan(workspace, today)
    # A fresh copy each run: the snapshot's lookup tables are part of detection's work.
    detect_ms = median_ms(lambda: detect(replace(plan)), repeat=3)
    tracemalloc.start()
    conflicts = detect(load_plan(workspace, today))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"   load snapshot: {load_ms:8.0f} ms (median of 3)")
    print(f"   detection:     {detect_ms:8.0f} ms (median of 3), {len(conflicts)} conflicts")
    by_rule = Counter(c.rule.value for c in conflicts)
    print("   by rule:       " + ", ".join(f"{rule} {n}" for rule, n in by_rule.most_common()))
    first = _seconds(lambda: conflicts_detect(workspace=workspace))
    again = _seconds(lambda: conflicts_detect(workspace=workspace))
    print(
        f"   stored:        {first * 1000:8.0f} ms first run (opens them all), "
        f"{again * 1000:.0f} ms re-run with nothing changed (goal: 300 ms, nothing written)"
    )
    # One edit through the service, as a person would make it: a late initiative ends later.
    owner = Member.objects.get(workspace=workspace)
    late = next(c for c in conflicts if c.rule.value == "late_delivery" and len(c.subject) == 2)
    initiative = Initiative.objects.get(pk=late.subject[0].id)
    assert initiative.end_date is not None
    initiative_update(
        initiative=initiative,
        end_date=initiative.end_date + datetime.timedelta(days=3),
        reason="Bench: one edit",
        by=owner,
    )
    started = time.perf_counter()
    edited = conflicts_detect(workspace=workspace)
    after_edit = time.perf_counter() - started
    print(
        f"   after one edit:{after_edit * 1000:8.0f} ms, {edited.rewritten} of "
        f"{edited.refreshed} stored conflicts rewritten, {len(edited.opened)} opened, "
        f"{len(edited.closed)} closed"
    )
    print(f"   peak memory:   {peak / 2**20:8.0f} MiB (load + detection, traced)")
    time_fix_effects(plan, conflicts)
    time_reads(workspace)
    time_scenario(workspace, today)


def time_fix_effects(plan: PlanSnapshot, conflicts: list[Conflict]) -> None:
    """Issue 13: every suggested fix of every conflict tried as a one-edit scenario (each
    judged within the part of the plan it reaches), as detection does on plans up to its
    inline size; above it, this is why they are worked out per conflict when read."""
    conflicts = conflicts[::5]  # a fifth of them, of every rule
    fixes = sum(len(c.suggestions) for c in conflicts)
    ms = median_ms(lambda: [fix_effects(plan, c) for c in conflicts], repeat=3)
    print(
        f"   fix effects:   {ms:8.0f} ms for the {fixes} suggestions of {len(conflicts)} "
        f"conflicts ({ms / max(fixes, 1):.2f} ms each)"
    )


def time_reads(workspace: Workspace) -> None:
    """Reading conflicts with their fixes' effects. Above the inline size detection leaves
    them to the first read of a conflict after the plan changed (one plan load), which keeps
    them for the reads after (before this, the conflict page and the API's read of one
    conflict loaded the plan and ran a whole detection per fix on every request: 16-21 s
    each here at a load average of 9)."""
    client = Client()
    client.force_login(Member.objects.get(workspace=workspace).user)
    conflict = (
        StoredConflict.objects.in_workspace(workspace)
        .filter(rule="over_capacity")
        .order_by("pk")
        .first()
    )
    assert conflict is not None
    slug = workspace.slug
    page = reverse("conflict_detail", kwargs={"workspace": slug, "conflict_id": conflict.pk})
    first = _seconds(lambda: client.get(page))
    print(
        f"   conflict page, first read after a change: {first * 1000:6.0f} ms (works out its fixes)"
    )
    urls = {
        "conflict page": page,
        "API, one conflict": f"/api/v1/workspaces/{slug}/conflicts/{conflict.pk}",
        "API, list (50)": f"/api/v1/workspaces/{slug}/conflicts?limit=50",
        "inbox page": reverse("conflict_list", kwargs={"workspace": slug}),
    }
    for name, url in urls.items():
        assert client.get(url).status_code == 200, url  # warm up
        ms = median_ms(lambda url=url: client.get(url), repeat=5)
        print(f"   {name + ':':<19}{ms:6.0f} ms (median of 5, effects stored)")


def time_scenario(workspace: object, today: object) -> None:
    """Issue 13: a 10-edit scenario on the same plan, evaluated as a scenario page does it:
    load the snapshot, apply the edits in memory, run the rules over the part of the plan
    they reach before and after, diff, forecasts and capacity (goal: under 1.5 s)."""
    plan = load_plan(workspace, today)  # type: ignore[arg-type]
    live = [i for i in plan.initiatives if i.live and i.start and i.end][:6]
    key_results = [k for k in plan.key_results if k.kind == "increase"][:2]
    capacity = plan.capacities[0]
    edits = [
        Edit("move_initiative", {"initiative_id": live[0].id, "horizon": "later"}),
        Edit("reschedule_initiative", {"initiative_id": live[1].id, "end_date": "2200-01-01"}),
        Edit("resize_initiative", {"initiative_id": live[2].id, "effort": 40}),
        Edit("drop_initiative", {"initiative_id": live[3].id}),
        Edit(
            "set_capacity",
            {"team_id": capacity.team_id, "cycle_id": capacity.cycle_id, "person_weeks": 1},
        ),
        Edit(
            "retarget_key_result",
            {"key_result_id": key_results[0].id, "target_value": key_results[0].target * 2},
        ),
        Edit("reweight_key_result", {"key_result_id": key_results[1].id, "weight": 3}),
        Edit(
            "add_contribution",
            {"initiative_id": live[4].id, "key_result_id": key_results[1].id},
        ),
        Edit("add_dependency", {"initiative_id": live[4].id, "depends_on_id": live[5].id}),
        Edit("drop_key_result", {"key_result_id": key_results[0].id}),
    ]

    def run_once() -> Evaluation:
        return evaluate(load_plan(workspace, today), edits)  # type: ignore[arg-type]

    ms = median_ms(run_once, repeat=3)
    outcome = run_once()
    print(
        f"   10-edit scenario: {ms:8.0f} ms (median of 3; load, apply, detect within the "
        f"edits' reach before and after, diff, forecasts, capacity; "
        f"goal: under 1,500 ms): {len(outcome.opened)} conflicts opened, "
        f"{len(outcome.closed)} closed, {len(outcome.changed)} changed, "
        f"{len(outcome.forecasts)} forecasts changed"
    )
