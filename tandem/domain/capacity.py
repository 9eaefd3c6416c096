"""A team's planned effort in a cycle against its capacity. Shared by the capacity page
and the over-capacity conflict rule, so both count the same person-weeks."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from tandem.domain.plan import CapacityFacts, CycleFacts, InitiativeFacts, TeamFacts

# Prorating dated work yields fractions; a load this close to capacity is not "over".
NOISE = 0.05


def planned_effort(
    initiative: InitiativeFacts, cycle: CycleFacts, *, active_cycle: CycleFacts | None
) -> float:
    """The share of an initiative's effort that falls in a cycle: prorated by dates, or all
    of it in the active cycle for undated work in Now."""
    if initiative.start is not None and initiative.end is not None:
        overlap_start = max(initiative.start, cycle.start)
        overlap_end = min(initiative.end, cycle.end)
        if overlap_end < overlap_start:
            return 0.0
        duration = (initiative.end - initiative.start).days + 1
        return initiative.effort * ((overlap_end - overlap_start).days + 1) / duration
    if initiative.horizon == "now" and active_cycle == cycle:
        return initiative.effort
    return 0.0


@dataclass(frozen=True)
class Share:
    initiative: InitiativeFacts
    person_weeks: float
    how: str  # "prorated 31 of 61 days", "undated, in Now"


@dataclass(frozen=True)
class TeamLoad:
    team: TeamFacts
    cycle: CycleFacts
    capacity: float | None
    shares: tuple[Share, ...]

    @property
    def load(self) -> float:
        return sum(share.person_weeks for share in self.shares)

    @property
    def over(self) -> float:
        """Person-weeks beyond capacity (0 when within it or when no capacity is set)."""
        if self.capacity is None:
            return 0.0
        excess = self.load - self.capacity
        return excess if excess > NOISE else 0.0

    @property
    def over_percent(self) -> float | None:
        if not self.over or not self.capacity:
            return None
        return self.over / self.capacity * 100

    @property
    def used_percent(self) -> float | None:
        if not self.capacity:
            return None
        return self.load / self.capacity * 100


def _how(initiative: InitiativeFacts, cycle: CycleFacts) -> str:
    if initiative.start is None or initiative.end is None:
        return "undated, in Now"
    overlap = (min(initiative.end, cycle.end) - max(initiative.start, cycle.start)).days + 1
    duration = (initiative.end - initiative.start).days + 1
    if overlap >= duration:
        return "all of it"
    return f"{overlap} of its {duration} days"


def team_loads(
    *,
    teams: Iterable[TeamFacts],
    cycles: Iterable[CycleFacts],
    initiatives: Iterable[InitiativeFacts],
    capacities: Iterable[CapacityFacts],
    active_cycle: CycleFacts | None,
) -> list[TeamLoad]:
    """Each team × cycle: its capacity (None when unset) and the live work falling in it."""
    by_team: dict[int, list[InitiativeFacts]] = defaultdict(list)
    for initiative in initiatives:
        if initiative.live and initiative.team_id is not None and initiative.effort > 0:
            by_team[initiative.team_id].append(initiative)
    capacity = {(c.team_id, c.cycle_id): c.person_weeks for c in capacities}
    cycles = list(cycles)
    loads = []
    for team in teams:
        for cycle in cycles:
            shares = []
            for initiative in by_team.get(team.id, ()):
                share = planned_effort(initiative, cycle, active_cycle=active_cycle)
                if share > 0:
                    shares.append(Share(initiative, share, _how(initiative, cycle)))
            shares.sort(key=lambda s: (-s.person_weeks, s.initiative.title))
            loads.append(TeamLoad(team, cycle, capacity.get((team.id, cycle.id)), tuple(shares)))
    return loads


def smallest_deferral(
    candidates: Iterable[InitiativeFacts],
    cycle: CycleFacts,
    over: float,
    *,
    active_cycle: CycleFacts | None,
) -> list[InitiativeFacts] | None:
    """The fewest of `candidates` whose leaving `cycle` takes `over` person-weeks out of it,
    or None when all of them are not enough. Taking the largest shares first gives the
    fewest; ties go by title, so the answer does not depend on the order given."""
    shares = sorted(
        ((planned_effort(i, cycle, active_cycle=active_cycle), i) for i in candidates),
        key=lambda pair: (-pair[0], pair[1].title, pair[1].id),
    )
    chosen, freed = [], 0.0
    for share, initiative in shares:
        if share <= 0:
            break
        chosen.append(initiative)
        freed += share
        if over - freed <= NOISE:
            return chosen
    return None
