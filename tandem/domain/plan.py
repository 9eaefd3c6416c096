"""The plan snapshot: the whole of a workspace's OKRs and roadmap as plain, frozen data.

Loaded from the database in a fixed number of queries, then handed to pure analyses
(roll-up, conflicts, forecasts, drift). Nothing here knows about Django.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property

from tandem.domain.calendar import Span

LIVE_INITIATIVE = frozenset({"planned", "in_progress"})
ACTIVE = "active"


@dataclass(frozen=True, slots=True)
class CycleFacts:
    id: int
    name: str
    start: datetime.date
    end: datetime.date
    state: str  # planning, active, closed

    @property
    def span(self) -> Span:
        return Span(self.name, self.start, self.end)


@dataclass(frozen=True, slots=True)
class PillarFacts:
    id: int
    name: str
    archived: bool = False


@dataclass(frozen=True, slots=True)
class TeamFacts:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class ObjectiveFacts:
    id: int
    cycle_id: int
    title: str
    parent_id: int | None = None
    pillar_id: int | None = None
    team_id: int | None = None
    status: str = ACTIVE
    commitment: str = "committed"


@dataclass(frozen=True, slots=True)
class KeyResultFacts:
    id: int
    objective_id: int
    title: str
    kind: str
    start: float
    target: float
    current: float
    weight: float = 1.0
    status: str = ACTIVE
    needs_no_initiative: bool = False
    last_check_in: datetime.date | None = None
    last_confidence: int | None = None
    created: datetime.date | None = None
    check_in_every: int | None = None


@dataclass(frozen=True, slots=True)
class InitiativeFacts:
    id: int
    title: str
    status: str
    horizon: str
    start: datetime.date | None = None
    end: datetime.date | None = None
    team_id: int | None = None
    effort: float = 0.0

    @property
    def live(self) -> bool:
        return self.status in LIVE_INITIATIVE


@dataclass(frozen=True, slots=True)
class ContributionFacts:
    initiative_id: int
    key_result_id: int
    expected_delta: float | None = None  # in the key result's unit, when estimated


@dataclass(frozen=True, slots=True)
class CheckInFacts:
    key_result_id: int
    date: datetime.date
    value: float
    confidence: int


@dataclass(frozen=True, slots=True)
class DependencyFacts:
    initiative_id: int
    depends_on_id: int


@dataclass(frozen=True, slots=True)
class CapacityFacts:
    team_id: int
    cycle_id: int
    person_weeks: float


@dataclass(frozen=True)
class PlanSnapshot:
    today: datetime.date
    cycles: tuple[CycleFacts, ...] = ()
    pillars: tuple[PillarFacts, ...] = ()
    teams: tuple[TeamFacts, ...] = ()
    objectives: tuple[ObjectiveFacts, ...] = ()
    key_results: tuple[KeyResultFacts, ...] = ()
    initiatives: tuple[InitiativeFacts, ...] = ()
    contributions: tuple[ContributionFacts, ...] = ()
    dependencies: tuple[DependencyFacts, ...] = ()
    capacities: tuple[CapacityFacts, ...] = ()
    # Only those forecasts need: of live key results of open cycles, made by `today`.
    check_ins: tuple[CheckInFacts, ...] = ()
    # The workspace's setting: key results younger than this are not yet judged.
    grace_days: int = 7
    # The workspace's check-in rhythm in days (a key result may set its own).
    check_in_days: int = 7

    # Lookups built once per snapshot; analyses share them.

    @cached_property
    def cycle(self) -> dict[int, CycleFacts]:
        return {c.id: c for c in self.cycles}

    @cached_property
    def pillar(self) -> dict[int, PillarFacts]:
        return {p.id: p for p in self.pillars}

    @cached_property
    def team(self) -> dict[int, TeamFacts]:
        return {t.id: t for t in self.teams}

    @cached_property
    def objective(self) -> dict[int, ObjectiveFacts]:
        return {o.id: o for o in self.objectives}

    @cached_property
    def key_result(self) -> dict[int, KeyResultFacts]:
        return {k.id: k for k in self.key_results}

    @cached_property
    def initiative(self) -> dict[int, InitiativeFacts]:
        return {i.id: i for i in self.initiatives}

    @cached_property
    def initiatives_of_key_result(self) -> dict[int, list[int]]:
        return _group((c.key_result_id, c.initiative_id) for c in self.contributions)

    @cached_property
    def key_results_of_initiative(self) -> dict[int, list[int]]:
        return _group((c.initiative_id, c.key_result_id) for c in self.contributions)

    @cached_property
    def key_results_of_objective(self) -> dict[int, list[int]]:
        return _group((k.objective_id, k.id) for k in self.key_results)

    @cached_property
    def initiatives_of_team(self) -> dict[int, list[int]]:
        return _group((i.team_id, i.id) for i in self.initiatives if i.team_id is not None)

    @cached_property
    def dependencies_of_initiative(self) -> dict[int, list[DependencyFacts]]:
        """Each initiative's dependencies, either way round."""
        touching: dict[int, list[DependencyFacts]] = defaultdict(list)
        for dependency in self.dependencies:
            touching[dependency.initiative_id].append(dependency)
            if dependency.depends_on_id != dependency.initiative_id:
                touching[dependency.depends_on_id].append(dependency)
        return dict(touching)

    @cached_property
    def check_ins_of_key_result(self) -> dict[int, list[CheckInFacts]]:
        readings: dict[int, list[CheckInFacts]] = defaultdict(list)
        for check_in in self.check_ins:
            readings[check_in.key_result_id].append(check_in)
        return dict(readings)

    @cached_property
    def live_weight_of_objective(self) -> dict[int, float]:
        weights: dict[int, float] = defaultdict(float)
        for key_result in self.key_results:
            if key_result.status == ACTIVE:
                weights[key_result.objective_id] += key_result.weight
        return dict(weights)

    @cached_property
    def expected_impact(self) -> dict[tuple[int, int], float | None]:
        """(initiative, key result) → the contribution's expected change, when estimated."""
        return {(c.initiative_id, c.key_result_id): c.expected_delta for c in self.contributions}

    @cached_property
    def active_cycle(self) -> CycleFacts | None:
        """The active cycle containing today (the shortest, if several overlap)."""
        active = [c for c in self.cycles if c.state == "active"]
        containing = [c for c in active if c.start <= self.today <= c.end]
        candidates = containing or active
        return min(candidates, key=lambda c: (c.end - c.start, c.start), default=None)

    @cached_property
    def next_cycle(self) -> CycleFacts | None:
        """The earliest cycle, not closed, that starts after the active one (or today)."""
        after = self.active_cycle.end if self.active_cycle else self.today
        upcoming = [c for c in self.cycles if c.state != "closed" and c.start > after]
        return min(upcoming, key=lambda c: c.start, default=None)

    @cached_property
    def current_cycle_ids(self) -> frozenset[int]:
        return frozenset(c.id for c in (self.active_cycle, self.next_cycle) if c is not None)

    @cached_property
    def _cycle_by_key_result(self) -> dict[int, CycleFacts | None]:
        cycle_of_objective = {o.id: self.cycle.get(o.cycle_id) for o in self.objectives}
        return {k.id: cycle_of_objective.get(k.objective_id) for k in self.key_results}

    @cached_property
    def _live_key_result_ids(self) -> frozenset[int]:
        live_objectives = {o.id for o in self.objectives if o.status == ACTIVE}
        return frozenset(
            k.id
            for k in self.key_results
            if k.status == ACTIVE and k.objective_id in live_objectives
        )

    @cached_property
    def live_work_of_key_result(self) -> dict[int, list[InitiativeFacts]]:
        """The planned and in-progress initiatives contributing to each key result."""
        work: dict[int, list[InitiativeFacts]] = defaultdict(list)
        for contribution in self.contributions:
            initiative = self.initiative.get(contribution.initiative_id)
            if initiative is not None and initiative.live:
                work[contribution.key_result_id].append(initiative)
        return dict(work)

    def cycle_of_key_result(self, key_result: KeyResultFacts) -> CycleFacts | None:
        return self._cycle_by_key_result.get(key_result.id)

    def key_result_is_live(self, key_result: KeyResultFacts) -> bool:
        """Active, and so is its objective."""
        return key_result.id in self._live_key_result_ids


def _group(pairs: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = defaultdict(list)
    for key, value in pairs:
        grouped[key].append(value)
    return dict(grouped)


def as_of(plan: PlanSnapshot) -> PlanSnapshot:
    """The plan as it stood on `plan.today`, as far as the snapshot knows: key results
    created later are left out and each of the others stands at its check-ins up to that
    day (the check-ins a snapshot holds are those made by then). The roadmap is as it is."""
    latest: dict[int, CheckInFacts] = {}
    for check_in in plan.check_ins:
        known = latest.get(check_in.key_result_id)
        if known is None or check_in.date >= known.date:
            latest[check_in.key_result_id] = check_in
    key_results = []
    for key_result in plan.key_results:
        if key_result.created is not None and key_result.created > plan.today:
            continue
        cycle = plan.cycle_of_key_result(key_result)
        if cycle is not None and cycle.state != "closed":
            last = latest.get(key_result.id)
            key_result = replace(
                key_result,
                current=last.value if last else key_result.start,
                last_check_in=last.date if last else None,
                last_confidence=last.confidence if last else None,
            )
        key_results.append(key_result)
    return replace(plan, key_results=tuple(key_results))
