"""Running the conflict rules over a workspace and keeping the stored conflicts in step.

New conflicts open; known ones are refreshed (numbers in the sentence change as the plan
does); a dismissed one reopens when its inputs change; one whose condition no longer
holds closes by itself, naming the change that closed it.
"""

import datetime
import hashlib
import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django_tasks import task

from tandem.accounts.models import Workspace
from tandem.accounts.zones import local_today, zone_of
from tandem.activity.describe import describe_change
from tandem.activity.models import ChangeEvent
from tandem.activity.outbox import app_label_of, events_of
from tandem.activity.services import record_change, record_changes_in_bulk
from tandem.conflicts.effects import effects_of_fixes
from tandem.conflicts.models import Conflict, ConflictStatus
from tandem.conflicts.refs import content_type_for, ref_of
from tandem.core import schedule
from tandem.domain import conflicts as engine
from tandem.domain.conflict_rules import READING_RULE_NAMES, READING_RULES, detect
from tandem.domain.plan import PlanSnapshot, as_of
from tandem.okrs.models import KeyResult
from tandem.planning.snapshot import load_plan
from tandem.roadmaps.models import Initiative


@dataclass
class DetectionResult:
    opened: list[Conflict] = field(default_factory=list)
    refreshed: int = 0
    # Of the refreshed, how many were written back because their numbers or state moved.
    rewritten: int = 0
    reopened: list[Conflict] = field(default_factory=list)
    closed: list[Conflict] = field(default_factory=list)


# Up to this many key results and initiatives a detection takes tens of milliseconds and
# runs right after the write, so the page the user lands on is already up to date. Larger
# plans take up to a second: they are detected on the task queue (`tandem worker`).
INLINE_DETECTION_LIMIT = 3000


# The apps whose rows make up the plan: a change there may open or close conflicts.
PLAN_APPS = frozenset({"strategy", "okrs", "roadmaps"})


def changes_the_plan(event: ChangeEvent) -> bool:
    return app_label_of(event) in PLAN_APPS


# What a check-in changes on its key result (the "checked_in" update).
READING_FIELDS = frozenset({"current_value", "confidence", "last_check_in"})


def _read_key_results(events: Sequence[ChangeEvent]) -> set[int]:
    """The key results whose readings are all that these events changed (new check-ins and
    the values they moved); empty when the events changed anything else."""
    ids: set[int] = set()
    for event in events:
        kind = ContentType.objects.get_for_id(event.content_type_id)  # cached
        if kind.app_label != "okrs":
            return set()
        if kind.model == "checkin" and event.action == "created":
            ids.add(int(event.after["key_result"]))
        elif (
            kind.model == "keyresult"
            and event.action == "checked_in"
            and set(event.after) <= READING_FIELDS
        ):
            ids.add(int(event.object_id))
        else:
            return set()
    return ids


def detect_after_changes(*, workspace_id: int, event_ids: Sequence[int]) -> DetectionResult | None:
    """Subscribed to committed changes (see apps.py). Check-ins alone are judged right
    away however large the plan, over the part of it they can change."""
    events = events_of(event_ids)
    if events and (read := _read_key_results(events)):
        return conflicts_detect_readings(
            workspace=events[0].workspace, key_result_ids=read, triggers=events
        )
    size = (
        KeyResult.objects.filter(workspace_id=workspace_id).count()
        + Initiative.objects.filter(workspace_id=workspace_id).count()
    )
    if size > INLINE_DETECTION_LIMIT:
        detect_in_background.enqueue(workspace_id, list(event_ids))
        return None
    return _detect_for(workspace_id, event_ids, events)


def _next_local_midnight(workspace: Workspace, now: datetime.datetime) -> datetime.datetime:
    zone = zone_of(workspace)
    tomorrow = timezone.localdate(now, zone) + datetime.timedelta(days=1)
    return datetime.datetime.combine(tomorrow, datetime.time(0, 0), tzinfo=zone)


def redetect_daily(*, now: datetime.datetime | None = None) -> int:
    """Re-detect each workspace whose day has turned since its last scheduled detection
    (its slot `redetect:<id>` falls due at its local midnight), so the rules that read today's
    date do not wait for a write. Each workspace once a day, however many workers look:
    the slot is claimed in the database. How many workspaces it detected."""
    now = now or timezone.now()
    slots = schedule.due_slots("redetect:", now)
    detected = 0
    for workspace in Workspace.objects.order_by("pk"):
        name = f"redetect:{workspace.pk}"
        if not slots.pop(name, True):
            continue
        next_due = _next_local_midnight(workspace, now)
        if schedule.claim(name, now=now, next_due=next_due, by=schedule.here()):
            conflicts_detect(workspace=workspace)
            schedule.finish(name)
            detected += 1
    schedule.forget(list(slots))  # the slots of deleted workspaces
    return detected


@task()
def detect_in_background(workspace_id: int, event_ids: list[int]) -> str:
    result = _detect_for(workspace_id, event_ids)
    return f"{len(result.opened)} opened, {len(result.closed)} closed"


def _detect_for(
    workspace_id: int, event_ids: Sequence[int], events: Sequence[ChangeEvent] | None = None
) -> DetectionResult:
    triggers = events_of(event_ids) if events is None else events
    workspace = triggers[0].workspace if triggers else Workspace.objects.get(pk=workspace_id)
    return conflicts_detect(workspace=workspace, triggers=triggers)


def _cycle_id(found: engine.Conflict, plan: PlanSnapshot) -> int | None:
    refs = (*found.subject, *found.involved)
    for ref in refs:
        if ref.kind == "cycle":
            return ref.id
    for ref in refs:
        if ref.kind == "key_result" and (kr := plan.key_result.get(ref.id)):
            cycle = plan.cycle_of_key_result(kr)
            return cycle.id if cycle else None
        if ref.kind == "objective" and (objective := plan.objective.get(ref.id)):
            return objective.cycle_id
    return plan.active_cycle.id if plan.active_cycle else None


FIELDS = [
    "rule",
    "severity",
    "sentence",
    "subject",
    "involved",
    "suggestions",
    "fingerprint",
    "teams",
]


def teams_column(ids: set[int]) -> str:
    return f",{','.join(str(t) for t in sorted(ids))}," if ids else ""


def _teams(found: engine.Conflict, plan: PlanSnapshot) -> str:
    """The teams owning the initiatives, objectives and key results it is about (a team it
    names is its own)."""
    ids: set[int | None] = set()
    for kind, id in (*found.subject, *found.involved):
        if kind == "team":
            ids.add(id)
        elif kind == "initiative" and (initiative := plan.initiative.get(id)):
            ids.add(initiative.team_id)
        elif kind == "objective" and (objective := plan.objective.get(id)):
            ids.add(objective.team_id)
        elif kind == "key_result" and (key_result := plan.key_result.get(id)):
            owner = plan.objective.get(key_result.objective_id)
            ids.add(owner.team_id if owner else None)
    return teams_column({t for t in ids if t is not None})


def _fields(found: engine.Conflict, plan: PlanSnapshot) -> dict[str, object]:
    fields: dict[str, object] = {
        "rule": found.rule.value,
        "severity": found.severity.value,
        "sentence": found.sentence,
        "subject": [[r.kind, r.id] for r in found.subject],
        "involved": [[r.kind, r.id] for r in found.involved],
        "suggestions": [
            {"action": s.action, "label": s.label, "params": dict(s.params)}
            for s in found.suggestions
        ],
        "fingerprint": found.fingerprint,
        "teams": _teams(found, plan),
    }
    # What was stored, in one short value: a re-run compares it instead of every field.
    fields["digest"] = hashlib.blake2b(
        json.dumps(fields, sort_keys=True, default=str).encode(), digest_size=8
    ).hexdigest()
    return fields


def _mark_key(workspace: Workspace) -> str:
    return f"conflicts:detected:{workspace.pk}"


def _last_change(workspace: Workspace) -> int:
    """The newest change that can move detection's inputs: any of the workspace's but
    detection's own (conflicts are its output, not its input)."""
    own = ContentType.objects.get_for_models(*apps.get_app_config("conflicts").get_models())
    newest = (
        ChangeEvent.objects.filter(workspace=workspace)
        .exclude(content_type__in=[ct.pk for ct in own.values()])
        .aggregate(newest=Max("id"))["newest"]
    )
    return int(newest or 0)


# Callers run it inside their own transaction, which a failure rolls back whole: no
# savepoint of its own.
@transaction.atomic(savepoint=False)
def conflicts_detect(
    *,
    workspace: Workspace,
    today: datetime.date | None = None,
    triggers: Sequence[ChangeEvent] = (),
) -> DetectionResult:
    """Detect, then open, refresh, reopen and close stored conflicts. `triggers` are the
    changes that prompted this run, used to say which change closed a conflict.

    Every write goes through a service that records a ChangeEvent, so when neither the
    day nor the newest change moved since the last run, its result still stands and
    nothing is loaded or written. The mark lives in the shared cache: a lost one only
    costs a full run."""
    now = timezone.now()
    today = today or local_today(workspace)
    # Read before the plan: a change committed meanwhile makes the next run look again.
    mark = (today.isoformat(), _last_change(workspace))
    unresolved = Conflict.objects.in_workspace(workspace).unresolved()
    if cache.get(_mark_key(workspace)) == mark:
        return DetectionResult(refreshed=unresolved.count())
    plan = load_plan(workspace, today)
    found = {c.key: c for c in detect(plan)}
    # Trying every fix costs several detections' worth on a large plan: there they are
    # worked out for one conflict when it is read (conflicts.simulation).
    small = len(plan.key_results) + len(plan.initiatives) <= INLINE_DETECTION_LIMIT
    effects_of = plan_mark(*mark) if small else None
    result = _keep_in_step(workspace, plan, found, unresolved, triggers, now, effects_of)
    # In the transaction (the cache is a table): rolled back with the run.
    cache.set(_mark_key(workspace), mark, timeout=None)
    return result


@transaction.atomic(savepoint=False)
def conflicts_detect_readings(
    *,
    workspace: Workspace,
    key_result_ids: Collection[int],
    today: datetime.date | None = None,
    triggers: Sequence[ChangeEvent] = (),
) -> DetectionResult:
    """Detection after check-ins alone: only the rules that read readings, only about
    these key results, over the part of the plan they look at (`load_plan(around=...)`).
    What it stores is what a full run would: tests/conflicts/test_detection_scope.py.
    It leaves the full run's mark alone, so the next full run still looks."""
    now = timezone.now()
    today = today or local_today(workspace)
    plan = load_plan(workspace, today, around=key_result_ids)
    keys = {f"{rule.value}:key_result-{id}" for rule in READING_RULE_NAMES for id in key_result_ids}
    found = {c.key: c for c in detect(plan, READING_RULES) if c.key in keys}
    unresolved = Conflict.objects.in_workspace(workspace).unresolved().filter(key__in=keys)
    return _keep_in_step(workspace, plan, found, unresolved, triggers, now, None)


def _keep_in_step(
    workspace: Workspace,
    plan: PlanSnapshot,
    found: dict[str, engine.Conflict],
    unresolved: QuerySet[Conflict],
    triggers: Sequence[ChangeEvent],
    now: datetime.datetime,
    effects_of: str | None,
) -> DetectionResult:
    """Open what is found and not stored, refresh what both have, close what is stored and
    no longer found.

    With `effects_of` (the plan's mark, when the plan is whole and small) each conflict's
    fixes are tried on it (conflicts.simulation) and stored where they moved; otherwise
    they are left to be worked out when read. They are not what was detected: neither in
    the digest nor in `rewritten`."""
    rows = unresolved.select_for_update().values_list(
        "pk", "key", "status", "digest", "dismissed_fingerprint", "fix_effects"
    )
    stored = {
        key: (pk, status, digest, dismissed, effects)
        for pk, key, status, digest, dismissed, effects in rows
    }
    result = DetectionResult()

    new = [
        Conflict(
            workspace=workspace,
            key=key,
            cycle_id=_cycle_id(c, plan),
            detected_at=now,
            fix_effects=effects_of_fixes(plan, c) if effects_of else [],
            fix_effects_of=effects_of or "",
            **_fields(c, plan),
        )
        for key, c in found.items()
        if key not in stored
    ]
    result.opened = Conflict.objects.bulk_create(new, batch_size=500)
    record_changes_in_bulk(
        workspace=workspace,
        objs=result.opened,
        action="conflict_opened",
        after=lambda conflict: {"sentence": conflict.sentence},
    )

    # Only rows whose numbers or state moved are read back and written.
    moved: dict[int, dict[str, object]] = {}
    for key, (pk, status, digest, dismissed, _effects) in stored.items():
        if key not in found:
            continue
        fields = _fields(found[key], plan)
        reopens = status == ConflictStatus.DISMISSED and fields["fingerprint"] != dismissed
        if reopens or fields["digest"] != digest:
            moved[pk] = fields
    changed = list(Conflict.objects.filter(pk__in=moved)) if moved else []
    for conflict in changed:
        fields = moved[conflict.pk]
        if (
            conflict.status == ConflictStatus.DISMISSED
            and fields["fingerprint"] != conflict.dismissed_fingerprint
        ):
            conflict.status = ConflictStatus.OPEN
            result.reopened.append(conflict)
        for name, value in fields.items():
            setattr(conflict, name, value)
    if changed:
        Conflict.objects.bulk_update(changed, ["status", *FIELDS, "digest"], batch_size=500)
    if effects_of:
        _store_fix_effects(plan, found, stored, effects_of)
    result.refreshed = sum(1 for key in stored if key in found)
    result.rewritten = len(changed)
    for conflict in result.reopened:
        record_change(
            by=None,
            workspace=workspace,
            obj=conflict,
            action="conflict_reopened",
            reason="Its inputs changed since it was dismissed.",
        )

    gone = [pk for key, (pk, *_rest) in stored.items() if key not in found]
    closing: Iterable[Conflict] = Conflict.objects.filter(pk__in=gone) if gone else []
    for conflict in closing:
        conflict.status = ConflictStatus.RESOLVED
        conflict.closed_at = now
        conflict.closed_note = _closing_note(conflict, triggers, plan)
        conflict.save(update_fields=["status", "closed_at", "closed_note"])
        record_change(
            by=None,
            workspace=workspace,
            obj=conflict,
            action="conflict_closed",
            reason=conflict.closed_note,
        )
        result.closed.append(conflict)
    return result


def _store_fix_effects(
    plan: PlanSnapshot,
    found: dict[str, engine.Conflict],
    stored: dict[str, tuple[int, str, str, str, list[object]]],
    effects_of: str,
) -> None:
    """Each known conflict's fixes tried on the whole plan; all marked with the plan's mark,
    the effects written where they moved."""
    keys = [key for key in stored if key in found]
    moved = []
    for key in keys:
        pk, *_rest, effects = stored[key]
        if (fresh := effects_of_fixes(plan, found[key])) != effects:
            moved.append(Conflict(pk=pk, fix_effects=fresh))
    Conflict.objects.bulk_update(moved, ["fix_effects"], batch_size=500)
    Conflict.objects.filter(pk__in=[stored[key][0] for key in keys]).update(
        fix_effects_of=effects_of
    )


def plan_mark(day: str, last_change: int) -> str:
    """The plan as of a day and its newest change, in a word (Conflict.fix_effects_of)."""
    return f"{day}:{last_change}"


def current_mark(workspace: Workspace, today: datetime.date) -> str:
    return plan_mark(today.isoformat(), _last_change(workspace))


def conflicts_as_of(*, workspace: Workspace, day: datetime.date) -> list[engine.Conflict]:
    """The conflicts the rules find with the plan as it stood on `day`, stored nothing: the
    key results that existed then, at the values of their check-ins up to that day."""
    return detect(as_of(load_plan(workspace, day)))


def _closing_note(conflict: Conflict, triggers: Sequence[ChangeEvent], plan: PlanSnapshot) -> str:
    cycle = plan.cycle.get(conflict.cycle_id) if conflict.cycle_id else None
    if cycle is not None and cycle.state == "closed":
        # Closed cycles are not judged (docs/decisions.md): this is why it closed, whatever
        # else changed in the same transaction.
        return (
            f"Closed because its cycle closed: {cycle.name} is over and its retrospective "
            "decides what became of it."
        )
    change = _closing_change(conflict, triggers)
    if change is None:
        return "Closed by itself: the condition no longer holds."
    return f"Closed by itself after this change: {describe_change(change)}."


def _newest(events: Sequence[ChangeEvent]) -> ChangeEvent:
    # Triggers come in any order (a query's default is newest first): compare, never index.
    return max(events, key=lambda e: (e.at, e.pk))


def _closing_change(conflict: Conflict, triggers: Sequence[ChangeEvent]) -> ChangeEvent | None:
    named = {tuple(ref) for ref in (*conflict.subject, *conflict.involved)}
    about_it = [e for e in triggers if ref_of(e.content_type_id, e.object_id) in named]
    if about_it:
        return _newest(about_it)
    if triggers:
        return _newest(triggers)
    wanted = Q()
    for kind, id in conflict.subject:
        wanted |= Q(content_type=content_type_for(kind), object_id=str(id))
    return (
        ChangeEvent.objects.in_workspace(conflict.workspace)
        .filter(wanted)
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
