"""Applying a plan file: the diff, carried out through the ordinary services in one
transaction with one reason, so each rule applies as it does for a page or the API.

Conflict detection, notifications and webhooks follow the commit once (the outbox runs
once per transaction). A dry run does the same work and rolls it back: it runs the real
services and the real detection, so what it reports is what an apply would do.
"""

import datetime
import decimal
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.accounts.access import require_role
from tandem.accounts.models import Member, Role
from tandem.accounts.zones import local_today
from tandem.activity.services import record_change, writing_in_bulk
from tandem.conflicts.detection import conflicts_detect
from tandem.core.tenancy import TenantModel, unique_indexes
from tandem.domain.collector import collector_paused
from tandem.domain.planfile import KINDS, Plan, PlanError, PlanInvalid
from tandem.domain.planfile_diff import Change, PlanDiff, diff_plans
from tandem.domain.planfile_read import Locations
from tandem.okrs import services as okrs
from tandem.okrs.models import Cycle, CycleState, KeyResult, Objective
from tandem.plans.exporting import PLAN_SOURCE, PlanIndex, export_plan
from tandem.reviews import closing
from tandem.roadmaps import services as roadmaps
from tandem.roadmaps.models import Contribution, Dependency, Initiative, Roadmap
from tandem.strategy import services as strategy
from tandem.strategy.models import Pillar, Team

MODELS: dict[str, type[TenantModel]] = {
    "pillar": Pillar,
    "team": Team,
    "cycle": Cycle,
    "objective": Objective,
    "key_result": KeyResult,
    "roadmap": Roadmap,
    "initiative": Initiative,
    "contribution": Contribution,
    "dependency": Dependency,
}
# File field -> model field, where they differ.
COLUMNS = {"source": "external_source", "url": "external_url", "archived": "archived_at"}
KIND_COLUMNS = {
    "key_result": {"start": "start_value", "target": "target_value", "current": "current_value"},
    "initiative": {"start": "start_date", "end": "end_date"},
}
FILE_FIELDS = {v: k for columns in (COLUMNS, *KIND_COLUMNS.values()) for k, v in columns.items()}
UNIQUE_CHECKED = [Team, Objective, KeyResult, Initiative, Contribution, Dependency]
KEPT_KEYS = frozenset({"objective", "key_result", "initiative"})
# What a kind's service reads of the rows it refers to, loaded with it.
RELATED = {"objective": ("cycle",), "key_result": ("objective__cycle",)}
# Kinds whose service reads the rows written before (a dependency checks for loops):
# written one by one.
ONE_BY_ONE = frozenset({"dependency"})
STATE_STEPS: dict[tuple[str, str], list[str]] = {
    (CycleState.PLANNING, CycleState.CLOSED): [CycleState.ACTIVE, CycleState.CLOSED],
}


@dataclass
class ApplyResult:
    diff: PlanDiff
    applied: bool
    opened: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = [self.diff.text()]
        verb = "opened" if self.applied else "would open"
        lines.append(f"Conflicts {verb}: {len(self.opened)}")
        lines += [f"  + {sentence}" for sentence in self.opened]
        verb = "closed" if self.applied else "would close"
        lines.append(f"Conflicts {verb}: {len(self.closed)}")
        lines += [f"  - {sentence}" for sentence in self.closed]
        return "\n".join(lines)


class _DryRun(Exception):
    def __init__(self, result: ApplyResult) -> None:
        self.result = result


def apply_plan(
    *,
    wanted: Plan,
    locations: Locations,
    by: Member,
    reason: str,
    dry_run: bool,
    today: datetime.date | None = None,
    merge: Callable[[Plan], tuple[Plan, Locations]] | None = None,
    unit: str = "line",
) -> ApplyResult:
    """Carry out the diff from the workspace's plan to `wanted`; PlanInvalid (naming the
    file's line and field) and nothing written when any service refuses.

    With `merge` (an import), `wanted` only lends its keys to the export, and the plan to
    apply is what `merge` makes of the workspace's current plan, in the same transaction."""
    require_role(by, Role.EDITOR)
    if not reason.strip():
        reason = "Plan file applied"
    try:
        # The diff, the writes and the detection of a large plan make tens of thousands of
        # objects and no reference cycles (applying the bench's plan leaves none for the
        # collector to find): its full collections would only rescan them again and again.
        # Resumed before the commit: the work published after it runs as usual.
        with transaction.atomic(), collector_paused():
            current, index = export_plan(by.workspace, wanted=wanted)
            if merge is not None:
                wanted, locations = merge(current)
            diff = diff_plans(current, wanted)
            if diff.empty:
                return ApplyResult(diff, applied=False)
            # Unique constraints checked against one read per constraint, not one per row:
            # of the kinds the diff writes (a small change to a large plan reads no more).
            written = {MODELS[c.kind] for c in diff.changes if c.kind in MODELS}
            with unique_indexes(by.workspace, [m for m in UNIQUE_CHECKED if m in written]):
                _Applier(
                    by=by, wanted=wanted, index=index, locations=locations, reason=reason, unit=unit
                ).run(diff, today or local_today(by.workspace))
            record_change(
                by=by,
                obj=by.workspace,
                action="plan_applied",
                after={a: diff.count(a) for a in ("created", "changed", "archived", "removed")},
                reason=reason,
            )
            if dry_run:
                found = conflicts_detect(workspace=by.workspace)
                raise _DryRun(
                    ApplyResult(
                        diff,
                        applied=False,
                        opened=[c.sentence for c in found.opened + found.reopened],
                        closed=[c.sentence for c in found.closed],
                    )
                )
    except _DryRun as rolled_back:
        return rolled_back.result
    return ApplyResult(diff, applied=True)


class _Applier:
    def __init__(
        self,
        *,
        by: Member,
        wanted: Plan,
        index: PlanIndex,
        locations: Locations,
        reason: str,
        unit: str = "line",
    ) -> None:
        self.by, self.wanted, self.index, self.locations = by, wanted, index, locations
        self.reason, self.unit = reason, unit
        self.objects: dict[tuple[str, str], Any] = {}
        self.later: list[Callable[[], object]] = []
        self.last: list[Callable[[], object]] = []

    def get(self, kind: str, key: Any) -> Any:
        if key is None:
            return None
        found = self.objects.get((kind, key))
        if found is None:
            pk = self.index.id(kind, key)
            found = MODELS[kind].objects.get(workspace=self.by.workspace, pk=pk)
            self.objects[(kind, key)] = found
        return found

    def run(self, diff: PlanDiff, today: datetime.date) -> None:
        self.today = today
        # The many rows of a large plan are validated one by one, as any write is, and
        # written in batches: a kind's rows are flushed before the next kind refers to them.
        with writing_in_bulk() as flush:
            kind = ""
            for change in diff.changes:
                if change.kind != kind:
                    flush()
                    kind = change.kind
                    self._prefetch(kind, diff)
                if kind in ONE_BY_ONE:
                    flush()
                self._carry_out(change, getattr(self, f"_{change.kind}"))
            flush()
        # Parents, statuses and cycle states last, row by row: their rules read the database.
        for step in [*self.later, *self.last]:
            step()

    def _carry_out(self, change: Change, step: Callable[[Change], object]) -> None:
        try:
            step(change)
        except ValidationError as error:
            raise PlanInvalid(self._errors(change, error)) from None
        except PermissionDenied as error:
            # Still a 403, naming the entry that needs the higher role.
            refused = self._error(change, "", str(error) or "Not allowed.")
            raise PermissionDenied(str(refused)) from None

    def _prefetch(self, kind: str, diff: PlanDiff) -> None:
        """The rows a kind's changes update or refer to, one query per kind rather than one
        per row."""
        wanted: dict[str, set[str]] = {}
        refs = [
            (n, s.type.removeprefix("ref:"))
            for n, s in KINDS[kind].items()
            if s.type.startswith("ref:")
        ]
        for change in diff.changes:
            if change.kind != kind:
                continue
            if change.action != "created" and kind not in ("contribution", "dependency"):
                wanted.setdefault(kind, set()).add(change.key)
            entry = self.wanted[kind].get(change.key, {})
            for name, target in refs:
                if target in MODELS and isinstance(entry.get(name), str):
                    wanted.setdefault(target, set()).add(str(entry[name]))
        for target, keys in wanted.items():
            ids = {
                pk: key
                for key in keys
                if (target, key) not in self.objects
                and (pk := self.index.id(target, key)) is not None
            }
            if not ids:
                continue
            rows = MODELS[target].objects.filter(workspace=self.by.workspace)
            rows = rows.select_related(*RELATED.get(target, ()))
            for pk, obj in rows.in_bulk(list(ids)).items():
                self.objects[(target, ids[pk])] = obj

    # -- errors point at the file
    def _error(self, change: Change, column: str, message: str) -> PlanError:
        line, where, lines = self.locations.get((change.kind, change.key), (1, change.kind, {}))
        name = FILE_FIELDS.get(column, column)
        at = f"{where}.{name}" if where and name else (where or name or self.unit)
        return PlanError(lines.get(name, line), at, message, unit=self.unit)

    def _errors(self, change: Change, error: ValidationError) -> list[PlanError]:
        if hasattr(error, "error_dict"):
            return [
                self._error(change, column, " ".join(m for e in errors for m in e.messages))
                for column, errors in error.error_dict.items()
            ]
        return [self._error(change, "", " ".join(error.messages))]

    # -- one method per kind
    def _fields(self, change: Change) -> dict[str, Any]:
        """The model fields to write: all of a new entry's, the changed ones of another."""
        fields: dict[str, Any]
        if change.action == "created":
            fields = dict(self.wanted[change.kind][change.key])
            for name, default in (("status", "active"), ("parent", None), ("archived", False)):
                if fields.get(name, object()) == default:
                    del fields[name]
            if change.kind in KEPT_KEYS and not fields.get("external_id"):
                # Their titles need not be unique: the key is kept as their reference.
                fields.update(source=PLAN_SOURCE, external_id=change.key)
        else:
            fields = {n: new for n, (_old, new) in change.fields.items()}
        columns = {**COLUMNS, **KIND_COLUMNS.get(change.kind, {})}
        return {columns.get(n, n): v for n, v in fields.items()}

    def _strategy(self, change: Change) -> None:
        vision = self.wanted["strategy"].get("vision", {"vision": ""})["vision"]
        strategy.strategy_set_vision(vision=str(vision or ""), by=self.by, reason=self.reason)

    def _pillar(self, change: Change) -> None:
        fields = self._fields(change)
        archived = fields.pop("archived_at", None)
        if change.action == "created":
            fields.pop("archived", None)
            position = list(self.wanted["pillar"]).index(change.key)
            pillar = strategy.pillar_create(
                by=self.by, reason=self.reason, position=position, **fields
            )
            self.objects[("pillar", change.key)] = pillar
            fields = {}
        else:
            pillar = self.get("pillar", change.key)
        if archived is not None:
            fields["archived_at"] = timezone.now() if archived else None
        if fields:
            strategy.pillar_update(pillar=pillar, by=self.by, reason=self.reason, **fields)

    def _team(self, change: Change) -> None:
        fields = self._fields(change)
        archived = fields.pop("archived_at", None)
        parent = fields.pop("parent", False)
        if change.action == "created":
            team = strategy.team_create(by=self.by, reason=self.reason, **fields)
            self.objects[("team", change.key)] = team
        else:
            team = self.get("team", change.key)
            if fields:
                strategy.team_update(team=team, by=self.by, reason=self.reason, **fields)
        if archived is not None:
            strategy.team_archive(team=team, by=self.by, archived=archived, reason=self.reason)
        if parent is not False:
            self.later.append(
                lambda: strategy.team_update(
                    team=team, by=self.by, reason=self.reason, parent=self.get("team", parent)
                )
            )

    def _cycle(self, change: Change) -> None:
        fields = self._fields(change)
        state = fields.pop("state", None)
        for name in ("start", "end"):
            if fields.get(name) is not None:
                fields[name] = datetime.date.fromisoformat(fields[name])
        if change.action == "created":
            cycle = okrs.cycle_create(by=self.by, **fields)
            self.objects[("cycle", change.key)] = cycle
        else:
            cycle = self.get("cycle", change.key)
            okrs.cycle_update(cycle=cycle, by=self.by, reason=self.reason, **fields)
        if state is not None and state != cycle.state:
            # Last: a closed cycle refuses the objectives and check-ins applied before it.
            self.last.append(lambda: self._cycle_state(change, cycle, state))

    def _cycle_state(self, change: Change, cycle: Cycle, state: str) -> None:
        try:
            for step in STATE_STEPS.get((cycle.state, state), [state]):
                if step == CycleState.CLOSED:
                    closing.cycle_close(cycle=cycle, by=self.by, reason=self.reason)
                else:
                    okrs.cycle_set_state(cycle=cycle, state=step, by=self.by, reason=self.reason)
        except ValidationError as error:
            raise PlanInvalid(self._errors(change, error)) from None

    def _capacity(self, change: Change) -> None:
        wanted = self.wanted["capacity"][change.key]
        roadmaps.team_capacity_set(
            team=self.get("team", wanted["team"]),
            cycle=self.get("cycle", wanted["cycle"]),
            person_weeks=wanted["person_weeks"],  # type: ignore[arg-type]  # the plan file's value: the service validates it, naming the field
            by=self.by,
            reason=self.reason,
        )

    def _objective(self, change: Change) -> None:
        fields = self._fields(change)
        status = fields.pop("status", None)
        parent = fields.pop("parent", False)
        for name in ("cycle", "pillar", "team"):
            if name in fields:
                fields[name] = self.get(name, fields[name])
        if change.action == "created":
            objective = okrs.objective_create(by=self.by, reason=self.reason, **fields)
            self.objects[("objective", change.key)] = objective
        else:
            objective = self.get("objective", change.key)
            if fields:
                okrs.objective_update(objective=objective, by=self.by, reason=self.reason, **fields)
        self._later_update(change, objective, okrs.objective_update, "objective", status, parent)

    def _later_update(
        self,
        change: Change,
        obj: Any,
        update: Callable[..., object],
        name: str,
        status: object,
        parent: object = False,
    ) -> None:
        # Parents may come later in the file, and archiving first would refuse the
        # contributions and check-ins that follow: both wait for the end.
        later: dict[str, Any] = {}
        if status is not None:
            later["status"] = status
        if parent is not False:
            later["parent"] = parent

        def step() -> None:
            if "parent" in later:
                later["parent"] = self.get("objective", later["parent"])
            try:
                update(**{name: obj}, by=self.by, reason=self.reason, **later)
            except ValidationError as error:
                raise PlanInvalid(self._errors(change, error)) from None

        if later:
            self.later.append(step)

    def _key_result(self, change: Change) -> None:
        fields = self._fields(change)
        status = fields.pop("status", None)
        current = fields.pop("current_value", None)
        if "objective" in fields:
            fields["objective"] = self.get("objective", fields["objective"])
        if change.action == "created":
            start = fields.get("start_value")
            key_result = okrs.key_result_create(by=self.by, reason=self.reason, **fields)
            self.objects[("key_result", change.key)] = key_result
            if current is not None and current == start:
                current = None
        else:
            key_result = self.get("key_result", change.key)
            if fields:
                okrs.key_result_update(
                    key_result=key_result, by=self.by, reason=self.reason, **fields
                )
        if current is not None:
            # A value without ceremony: an imported check-in, confidence unknown.
            okrs.key_result_check_in(
                key_result=key_result,
                value=decimal.Decimal(current),
                confidence=None,
                imported=True,
                date=self.today,
                by=self.by,
                reason=self.reason,
            )
        self._later_update(change, key_result, okrs.key_result_update, "key_result", status)

    def _roadmap(self, change: Change) -> None:
        fields = self._fields(change)
        if "team" in fields:
            fields["team"] = self.get("team", fields["team"])
        if change.action == "created":
            roadmap = roadmaps.roadmap_create(by=self.by, **fields)
            self.objects[("roadmap", change.key)] = roadmap
        else:
            roadmaps.roadmap_update(
                roadmap=self.get("roadmap", change.key), by=self.by, reason=self.reason, **fields
            )

    def _initiative(self, change: Change) -> None:
        fields = self._fields(change)
        for name in ("roadmap", "team"):
            if name in fields:
                fields[name] = self.get(name, fields[name])
        for name in ("start_date", "end_date"):
            if fields.get(name) is not None:
                fields[name] = datetime.date.fromisoformat(fields[name])
        if change.action == "created":
            initiative = roadmaps.initiative_create(by=self.by, reason=self.reason, **fields)
            self.objects[("initiative", change.key)] = initiative
        else:
            roadmaps.initiative_update(
                initiative=self.get("initiative", change.key),
                by=self.by,
                reason=self.reason,
                **fields,
            )

    def _contribution(self, change: Change) -> None:
        if change.action != "created":
            contribution = Contribution.objects.get(
                workspace=self.by.workspace,
                pk=self.index.id("contribution", change.key),  # type: ignore[misc]  # None: DoesNotExist, as for any stale key
            )
            roadmaps.contribution_delete(contribution=contribution, by=self.by, reason=self.reason)
            if change.action == "removed":
                return
        wanted = self.wanted["contribution"][change.key]
        roadmaps.contribution_create(
            initiative=self.get("initiative", wanted["initiative"]),
            key_result=self.get("key_result", wanted["key_result"]),
            expected_delta=wanted["expected_delta"],  # type: ignore[arg-type]  # the plan file's value: the service validates it, naming the field
            expected_impact=str(wanted["expected_impact"] or ""),
            by=self.by,
            reason=self.reason,
        )

    def _dependency(self, change: Change) -> None:
        if change.action == "removed":
            dependency = Dependency.objects.get(
                workspace=self.by.workspace,
                pk=self.index.id("dependency", change.key),  # type: ignore[misc]  # None: DoesNotExist, as for any stale key
            )
            roadmaps.dependency_delete(dependency=dependency, by=self.by, reason=self.reason)
            return
        wanted = self.wanted["dependency"][change.key]
        roadmaps.dependency_create(
            initiative=self.get("initiative", wanted["initiative"]),
            depends_on=self.get("initiative", wanted["depends_on"]),
            by=self.by,
            reason=self.reason,
        )
