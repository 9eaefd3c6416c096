"""Plan as code at scale: apply a generated plan of 10,000 initiatives, 3,000 key results
and 20,000 contributions to an empty workspace through the services (goal: under 30 s on
SQLite, one conflict detection), then a dry run of a 10-object change (goal: under 2 s)."""

import random
import time
from typing import Any

from django.db import connection
from django.urls import get_resolver

from tandem.accounts.models import Member, Role, User, Workspace
from tandem.conflicts.detection import conflicts_detect
from tandem.domain.planfile import empty_plan, link_key
from tandem.domain.planfile_read import read_plan
from tandem.domain.planfile_write import write_plan
from tandem.plans import yamlio
from tandem.plans.applying import ApplyResult, apply_plan
from tandem.plans.exporting import export_plan

INITIATIVES, KEY_RESULTS, CONTRIBUTIONS = 10_000, 3_000, 20_000
TEAMS, KEY_RESULTS_PER_OBJECTIVE, ROADMAPS = 20, 5, 20


def _plan() -> str:
    rng = random.Random(11)
    plan = empty_plan()
    plan["strategy"]["vision"] = {"vision": "A generated plan."}
    for t in range(TEAMS):
        plan["team"][f"team-{t}"] = {
            "name": f"Team {t}",
            "parent": None,
            "color": "#4f6bed",
            "archived": False,
            "source": "",
            "external_id": "",
            "url": "",
        }
    plan["cycle"]["q1"] = {
        "name": "Q1",
        "start": "2027-01-01",
        "end": "2027-03-31",
        "state": "planning",
    }
    for t in range(TEAMS):
        plan["capacity"][link_key(f"team-{t}", "q1")] = {
            "team": f"team-{t}",
            "cycle": "q1",
            "person_weeks": "120",
        }
    for o in range(KEY_RESULTS // KEY_RESULTS_PER_OBJECTIVE):
        plan["objective"][f"o-{o}"] = {
            "cycle": "q1",
            "title": f"Objective {o}",
            "description": "",
            "pillar": None,
            "team": f"team-{o % TEAMS}",
            "parent": None,
            "commitment": "committed",
            "status": "active",
            "source": "",
            "external_id": "",
            "url": "",
        }
        for k in range(KEY_RESULTS_PER_OBJECTIVE):
            plan["key_result"][f"kr-{o}-{k}"] = {
                "objective": f"o-{o}",
                "title": f"Key result {o}.{k}",
                "kind": "increase",
                "unit": "number",
                "currency": "",
                "start": "0",
                "target": "100",
                "current": str(rng.randint(0, 40)),
                "weight": "1",
                "needs_no_initiative": False,
                "status": "active",
                "source": "",
                "external_id": "",
                "url": "",
            }
    for r in range(ROADMAPS):
        plan["roadmap"][f"r-{r}"] = {"name": f"Roadmap {r}", "description": "", "team": f"team-{r}"}
    key_results = list(plan["key_result"])
    for i in range(INITIATIVES):
        plan["initiative"][f"i-{i}"] = {
            "roadmap": f"r-{i % ROADMAPS}",
            "title": f"Initiative {i}",
            "description": "",
            "status": rng.choice(["idea", "planned", "in_progress"]),
            "horizon": rng.choice(["now", "next", "later"]),
            "start": "2027-01-11",
            "end": "2027-03-12",
            "team": f"team-{i % TEAMS}",
            "effort": str(rng.randint(1, 6)),
            "reach": "0",
            "impact": "1",
            "confidence": "80",
            "source": "",
            "external_id": "",
            "url": "",
        }
        for kr in rng.sample(key_results, CONTRIBUTIONS // INITIATIVES):
            plan["contribution"][link_key(f"i-{i}", kr)] = {
                "initiative": f"i-{i}",
                "key_result": kr,
                "expected_delta": None,
                "expected_impact": "",
            }
    return yamlio.dump(write_plan(plan))


class _Queries:
    """Counts the queries run inside `connection.execute_wrapper`: a figure the machine's
    speed does not change."""

    count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def _apply(member: Member, text: str, *, dry_run: bool) -> ApplyResult:
    wanted, locations = read_plan(yamlio.load(text))
    return apply_plan(
        wanted=wanted, locations=locations, by=member, reason="Bench", dry_run=dry_run
    )


def run() -> None:
    print("Plan files (tandem plan apply)")
    text = _plan()
    # As in a running server: the URLs the activity feed links to are loaded already.
    get_resolver().url_patterns  # noqa: B018
    user, _ = User.objects.get_or_create(email="bench@plans.example", defaults={"name": "Bench"})
    workspace = Workspace.objects.create(name="Bench plans", slug="bench-plans")
    member = Member.objects.create(workspace=workspace, user=user, role=Role.OWNER)
    queries = _Queries()
    started, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(queries):
        applied = _apply(member, text, dry_run=False)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    created = applied.diff.count("created")
    print(
        f"  apply {INITIATIVES:,} initiatives, {KEY_RESULTS:,} key results, "
        f"{CONTRIBUTIONS:,} contributions ({len(text) / 1e6:.1f} MB) to an empty workspace: "
        f"{seconds:.1f} s ({cpu:.1f} s of CPU), {queries.count:,} queries "
        f"({queries.count / created:.2f} per entry created)"
    )
    # A plan this large has its one detection queued for the worker: timed here.
    started = time.perf_counter()
    found = conflicts_detect(workspace=workspace)
    detection = time.perf_counter() - started
    print(
        f"  its one conflict detection: {detection:.1f} s ({len(found.opened)} opened); "
        f"together {seconds + detection:.1f} s (goal 30 s)"
    )
    edited = text
    for n in range(10):
        edited = edited.replace(f"title: Initiative {n}\n", f"title: Initiative {n} (renamed)\n", 1)
    started, cpu = time.perf_counter(), time.process_time()
    result = _apply(member, edited, dry_run=True)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"  dry run of a 10-object change: {seconds:.2f} s ({cpu:.2f} s of CPU; goal 2 s); "
        f"{result.diff.summary()}"
    )
    started = time.perf_counter()
    export_plan(workspace)
    print(f"  export: {time.perf_counter() - started:.2f} s")
