"""The conflict rules. Each takes a plan snapshot and yields conflicts; none may fail on a
messy plan (missing dates, empty cycles, links to dropped or missing entities)."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator

from tandem.domain import stakes
from tandem.domain.calendar import day_words
from tandem.domain.capacity import planned_effort, smallest_deferral
from tandem.domain.collector import collector_paused
from tandem.domain.conflicts import (
    Conflict,
    Ref,
    Rule,
    RuleFunction,
    Severity,
    Suggestion,
    join_phrases,
    listing,
    plural,
    quote,
)
from tandem.domain.forecast import Forecast, key_result_forecast
from tandem.domain.plan import CycleFacts, InitiativeFacts, KeyResultFacts, PlanSnapshot
from tandem.domain.progress import (
    Confidence,
    Pace,
    confidence_status,
    measured_progress,
    pace,
)

HORIZON_LABEL = {"now": "Now", "next": "Next", "later": "Later"}
STATUS_LABEL = {"planned": "planned", "in_progress": "in progress"}
ONE_DAY = datetime.timedelta(days=1)
# A forecast under this makes a key result "likely to miss".
LIKELY_TO_MISS = 0.3


def _kr(id: int) -> Ref:
    return Ref("key_result", id)


def _initiative(id: int) -> Ref:
    return Ref("initiative", id)


def _live_initiatives_of(plan: PlanSnapshot, key_result_id: int) -> list[InitiativeFacts]:
    return plan.live_work_of_key_result.get(key_result_id, [])


def _open_cycle_of(plan: PlanSnapshot, key_result: KeyResultFacts) -> CycleFacts | None:
    cycle = plan.cycle_of_key_result(key_result)
    return cycle if cycle is not None and cycle.state != "closed" else None


def late_delivery(plan: PlanSnapshot) -> Iterator[Conflict]:
    """Work scheduled to end after its key result is due, or still waiting in Next/Later
    while the key result's cycle runs. Key results of closed cycles are not judged: closing
    a cycle settles them, their grade is the outcome, and the conflicts about them close
    with the reason "cycle closed" (docs/decisions.md)."""
    # Judged once per key result and per initiative, not once per contribution.
    due = {
        kr.id: (kr, cycle)
        for kr in plan.key_results
        if plan.key_result_is_live(kr) and (cycle := _open_cycle_of(plan, kr)) is not None
    }
    dated = {i.id: i for i in plan.initiatives if i.live and i.end is not None}
    for contribution in plan.contributions:
        initiative = dated.get(contribution.initiative_id)
        judged = due.get(contribution.key_result_id)
        if initiative is None or judged is None:
            continue
        key_result, cycle = judged
        assert initiative.end is not None
        if initiative.end <= cycle.end:
            continue
        days = (initiative.end - cycle.end).days
        yield Conflict(
            rule=Rule.LATE_DELIVERY,
            subject=(_initiative(initiative.id), _kr(key_result.id)),
            severity=stakes.severity(plan, key_result, cycle, Severity.HIGH),
            sentence=(
                f"{quote(initiative.title)} ends {day_words(initiative.end)}, "
                f"{plural(days, 'day')} after {cycle.name} ends, but key result "
                f"{quote(key_result.title)} is due with {cycle.name}."
            ),
            involved=(Ref("cycle", cycle.id),),
            suggestions=(
                Suggestion(
                    "reschedule_initiative",
                    f"End {quote(initiative.title)} on {day_words(cycle.end)}",
                    (("initiative_id", initiative.id), ("end_date", cycle.end.isoformat())),
                ),
                Suggestion(
                    "remove_contribution",
                    f"Stop counting {quote(initiative.title)} towards this key result",
                    (("initiative_id", initiative.id), ("key_result_id", key_result.id)),
                ),
            ),
            inputs=(initiative.end, cycle.end, initiative.status),
        )

    active = plan.active_cycle
    if active is None:
        return
    for key_result, cycle in due.values():
        if cycle != active:
            continue
        work = _live_initiatives_of(plan, key_result.id)
        if not work or any(i.horizon == "now" for i in work):
            continue
        waiting = sorted(work, key=lambda i: (i.horizon != "next", i.title))
        first = waiting[0]
        yield Conflict(
            rule=Rule.LATE_DELIVERY,
            subject=(_kr(key_result.id),),
            severity=stakes.severity(plan, key_result, active, Severity.MEDIUM),
            sentence=(
                f"Key result {quote(key_result.title)} is due with {active.name}, which is under "
                f"way, but all its work waits in Next or Later: "
                + join_phrases([f"{quote(i.title)} ({HORIZON_LABEL[i.horizon]})" for i in waiting])
                + "."
            ),
            involved=tuple(_initiative(i.id) for i in waiting),
            suggestions=(
                Suggestion(
                    "move_initiative",
                    f"Move {quote(first.title)} to Now",
                    (("initiative_id", first.id), ("horizon", "now")),
                ),
            ),
            inputs=tuple(sorted((i.id, i.horizon) for i in work)),
        )


def unsupported_key_result(plan: PlanSnapshot) -> Iterator[Conflict]:
    """A key result of the active or next cycle that no planned, in-progress or delivered
    work serves. Delivered work counts: whether it moved the number is rule g's question.
    One already met (a finished milestone, a check-in at target) needs no more work; one
    created within the workspace's grace period is given time to find its work."""
    for key_result in plan.key_results:
        cycle = plan.cycle_of_key_result(key_result)
        if cycle is None or cycle.id not in plan.current_cycle_ids:
            continue
        if key_result.needs_no_initiative or not plan.key_result_is_live(key_result):
            continue
        if stakes.is_met(key_result) or stakes.is_new(plan, key_result):
            continue
        if _live_initiatives_of(plan, key_result.id) or any(
            plan.initiative[i].status == "done"
            for i in plan.initiatives_of_key_result.get(key_result.id, ())
            if i in plan.initiative
        ):
            continue
        yield Conflict(
            rule=Rule.UNSUPPORTED_KEY_RESULT,
            subject=(_kr(key_result.id),),
            severity=stakes.severity(plan, key_result, cycle, Severity.HIGH),
            sentence=(
                f"Key result {quote(key_result.title)} of {cycle.name} has no initiative "
                f"behind it: nothing planned, in progress or done serves it."
            ),
            involved=(Ref("objective", key_result.objective_id), Ref("cycle", cycle.id)),
            suggestions=(
                Suggestion(
                    "add_contribution",
                    "Link an initiative to it",
                    (("key_result_id", key_result.id),),
                ),
                Suggestion(
                    "mark_needs_no_initiative",
                    "It is met by running the business: mark it as needing no initiative",
                    (("key_result_id", key_result.id),),
                ),
                Suggestion(
                    "drop_key_result", "Drop the key result", (("key_result_id", key_result.id),)
                ),
            ),
            inputs=(cycle.id, cycle.state),
        )


def orphan_work(plan: PlanSnapshot) -> Iterator[Conflict]:
    """Planned or in-progress work that serves no key result of the active or next cycle."""
    current = plan.current_cycle_ids
    if not current:
        return
    names = " or ".join(
        plan.cycle[c].name for c in sorted(current, key=lambda c: plan.cycle[c].start)
    )
    for initiative in plan.initiatives:
        if not initiative.live:
            continue
        serves = False
        for kr_id in plan.key_results_of_initiative.get(initiative.id, ()):
            key_result = plan.key_result.get(kr_id)
            if key_result is None or not plan.key_result_is_live(key_result):
                continue
            cycle = plan.cycle_of_key_result(key_result)
            if cycle is not None and cycle.id in current:
                serves = True
                break
        if serves:
            continue
        busy = initiative.status == "in_progress" or initiative.horizon == "now"
        yield Conflict(
            rule=Rule.ORPHAN_WORK,
            subject=(_initiative(initiative.id),),
            severity=Severity.MEDIUM if busy else Severity.LOW,
            sentence=(
                f"{quote(initiative.title)} is {STATUS_LABEL[initiative.status]} "
                f"({HORIZON_LABEL.get(initiative.horizon, initiative.horizon)}) but serves no "
                f"key result of {names}."
            ),
            suggestions=(
                Suggestion(
                    "add_contribution",
                    "Link it to a key result",
                    (("initiative_id", initiative.id),),
                ),
                Suggestion(
                    "move_initiative",
                    "Move it to Later",
                    (("initiative_id", initiative.id), ("horizon", "later")),
                ),
                Suggestion("drop_initiative", "Drop it", (("initiative_id", initiative.id),)),
            ),
            inputs=(initiative.status, initiative.horizon),
        )


def over_capacity(plan: PlanSnapshot) -> Iterator[Conflict]:
    """A team's planned effort in a cycle exceeds its capacity."""
    by_team: dict[int, list[InitiativeFacts]] = defaultdict(list)
    for initiative in plan.initiatives:
        if initiative.live and initiative.team_id is not None and initiative.effort > 0:
            by_team[initiative.team_id].append(initiative)
    for capacity in plan.capacities:
        cycle = plan.cycle.get(capacity.cycle_id)
        team = plan.team.get(capacity.team_id)
        if cycle is None or team is None or cycle.state == "closed":
            continue
        shares = [
            (i, planned_effort(i, cycle, active_cycle=plan.active_cycle))
            for i in by_team.get(team.id, ())
        ]
        load = sum(share for _, share in shares)
        over = load - capacity.person_weeks
        if over <= 0.05:  # rounding noise in prorated effort is not a conflict
            continue
        percent = over / capacity.person_weeks * 100 if capacity.person_weeks else None
        yield Conflict(
            rule=Rule.OVER_CAPACITY,
            subject=(Ref("team", team.id), Ref("cycle", cycle.id)),
            severity=Severity.HIGH if percent is None or percent > 20 else Severity.MEDIUM,
            sentence=(
                f"Team {quote(team.name)} has {load:.0f} person-weeks of planned work in "
                f"{cycle.name} against a capacity of {capacity.person_weeks:.0f}: "
                f"{over:.0f} over" + (f" ({percent:.0f}%)." if percent is not None else ".")
            ),
            involved=tuple(_initiative(i.id) for i, share in shares if share > 0),
            suggestions=(
                Suggestion(
                    "set_capacity",
                    f"Raise the capacity to {load:.0f} person-weeks",
                    (
                        ("team_id", team.id),
                        ("cycle_id", cycle.id),
                        ("person_weeks", round(load, 1)),
                    ),
                ),
                *_deferrals(plan, team.name, cycle, [i for i, s in shares if s > 0], load, over),
            ),
            inputs=(round(load, 1), capacity.person_weeks),
        )


def _deferrals(
    plan: PlanSnapshot,
    team: str,
    cycle: CycleFacts,
    work: list[InitiativeFacts],
    load: float,
    over: float,
) -> list[Suggestion]:
    """The fewest moves out of the cycle that bring the team within capacity: first among
    planned work serving no key result of the cycle (moving it delays no goal), then among
    all planned work, then among all live work. Moving to Next alone would not do: dated
    work counts where its dates fall, so a move shifts the dates past the cycle's end."""

    def serves_cycle(initiative: InitiativeFacts) -> bool:
        return any(
            (kr := plan.key_result.get(k)) is not None
            and plan.key_result_is_live(kr)
            and plan.cycle_of_key_result(kr) == cycle
            for k in plan.key_results_of_initiative.get(initiative.id, ())
        )

    planned = [i for i in work if i.status == "planned"]
    pools = (
        (
            "of planned work serving no key result of it",
            [i for i in planned if not serves_cycle(i)],
        ),
        ("of work not yet started", planned),
        ("", work),
    )
    where = "Next" if cycle.state == "active" else "Later"
    found: list[Suggestion] = []
    seen: set[tuple[int, ...]] = set()
    for among, pool in pools:
        chosen = smallest_deferral(pool, cycle, over, active_cycle=plan.active_cycle)
        if chosen is None:
            continue
        ids = tuple(i.id for i in chosen)
        if ids in seen or len(found) == 2:
            continue
        seen.add(ids)
        left = load - sum(planned_effort(i, cycle, active_cycle=plan.active_cycle) for i in chosen)
        found.append(
            Suggestion(
                "defer_initiatives",
                f"Move {listing([i.title for i in chosen], limit=4)} to {where}, after "
                f"{cycle.name} ends: the fewest moves{' ' + among if among else ''} "
                f"({len(chosen)}) that bring {quote(team)} "
                f"within capacity ({left:.0f} person-weeks left in {cycle.name})",
                (("initiative_ids", ids), ("cycle_id", cycle.id)),
            )
        )
    return found


def dependency_order(plan: PlanSnapshot) -> Iterator[Conflict]:
    """Work scheduled to start before what it depends on ends, or depending on dropped work."""
    for dependency in plan.dependencies:
        dependent = plan.initiative.get(dependency.initiative_id)
        prerequisite = plan.initiative.get(dependency.depends_on_id)
        if dependent is None or prerequisite is None or not dependent.live:
            continue
        subject = (_initiative(dependent.id), _initiative(prerequisite.id))
        if prerequisite.status == "dropped":
            yield Conflict(
                rule=Rule.DEPENDENCY_ORDER,
                subject=subject,
                severity=Severity.HIGH,
                sentence=(
                    f"{quote(dependent.title)} depends on {quote(prerequisite.title)}, "
                    f"which was dropped."
                ),
                suggestions=(
                    Suggestion(
                        "remove_dependency",
                        "It no longer needs it: remove the dependency",
                        (("initiative_id", dependent.id), ("depends_on_id", prerequisite.id)),
                    ),
                    Suggestion(
                        "drop_initiative",
                        f"Drop {quote(dependent.title)} too",
                        (("initiative_id", dependent.id),),
                    ),
                ),
                inputs=("dropped",),
            )
            continue
        if prerequisite.status == "done" or dependent.start is None or prerequisite.end is None:
            continue
        if dependent.start > prerequisite.end:
            continue
        overlap = (prerequisite.end - dependent.start).days + 1
        new_start = prerequisite.end + ONE_DAY
        params: list[tuple[str, object]] = [
            ("initiative_id", dependent.id),
            ("start_date", new_start.isoformat()),
        ]
        if dependent.end is not None:
            params.append(("end_date", (dependent.end + (new_start - dependent.start)).isoformat()))
        yield Conflict(
            rule=Rule.DEPENDENCY_ORDER,
            subject=subject,
            severity=Severity.MEDIUM,
            sentence=(
                f"{quote(dependent.title)} starts {day_words(dependent.start)}, but "
                f"{quote(prerequisite.title)}, which it depends on, ends "
                f"{day_words(prerequisite.end)}: {plural(overlap, 'day')} too early."
            ),
            suggestions=(
                Suggestion(
                    "reschedule_initiative",
                    f"Start {quote(dependent.title)} on {day_words(new_start)}",
                    tuple(params),
                ),
                Suggestion(
                    "remove_dependency",
                    "Remove the dependency",
                    (("initiative_id", dependent.id), ("depends_on_id", prerequisite.id)),
                ),
            ),
            inputs=(dependent.start, prerequisite.end),
        )


def dropped_goal_live_work(plan: PlanSnapshot) -> Iterator[Conflict]:
    """Live work still serving key results or objectives that were archived or dropped."""
    for initiative in plan.initiatives:
        if not initiative.live:
            continue
        dead: list[KeyResultFacts] = []
        alive = 0
        for kr_id in plan.key_results_of_initiative.get(initiative.id, ()):
            key_result = plan.key_result.get(kr_id)
            if key_result is None:
                continue
            if plan.key_result_is_live(key_result):
                alive += 1
            else:
                dead.append(key_result)
        if not dead:
            continue
        yield Conflict(
            rule=Rule.DROPPED_GOAL_LIVE_WORK,
            subject=(_initiative(initiative.id),),
            severity=Severity.LOW if alive else Severity.HIGH,
            sentence=(
                f"{quote(initiative.title)} is {STATUS_LABEL[initiative.status]} for "
                f"{listing([k.title for k in dead])}, which "
                f"{'was' if len(dead) == 1 else 'were'} archived or dropped"
                + (f"; it still serves {plural(alive, 'live key result')}." if alive else ".")
            ),
            involved=tuple(_kr(k.id) for k in dead),
            suggestions=(
                Suggestion(
                    "drop_initiative",
                    f"Drop {quote(initiative.title)}",
                    (("initiative_id", initiative.id),),
                ),
                *(
                    Suggestion(
                        "remove_contribution",
                        f"Unlink it from {quote(k.title)}",
                        (("initiative_id", initiative.id), ("key_result_id", k.id)),
                    )
                    for k in dead
                ),
            ),
            inputs=tuple(sorted(k.id for k in dead)),
        )


def at_risk_without_action(plan: PlanSnapshot) -> Iterator[Conflict]:
    """A key result behind pace, at low confidence or likely to miss (its forecast under
    LIKELY_TO_MISS) while none of its work is in Now; or one nobody has checked in on yet,
    a low nudge rather than a pace it never had. New key results get the grace period."""
    active = plan.active_cycle
    if active is None:
        return
    elapsed = active.span.elapsed_share(plan.today)
    for key_result in plan.key_results:
        if plan.cycle_of_key_result(key_result) != active or not plan.key_result_is_live(
            key_result
        ):
            continue
        if stakes.is_new(plan, key_result):
            continue
        if key_result.last_check_in is None:
            yield _no_check_in_yet(key_result, active, elapsed)
            continue
        work = _live_initiatives_of(plan, key_result.id)
        if any(i.horizon == "now" for i in work):
            continue
        reasons = _risks(plan, key_result, active, elapsed)
        if not reasons:
            continue
        candidate = min(work, key=lambda i: (i.horizon != "next", i.title), default=None)
        suggestions = (
            (
                Suggestion(
                    "move_initiative",
                    f"Move {quote(candidate.title)} to Now",
                    (("initiative_id", candidate.id), ("horizon", "now")),
                ),
            )
            if candidate
            else (
                Suggestion(
                    "add_contribution",
                    "Link an initiative to it",
                    (("key_result_id", key_result.id),),
                ),
            )
        )
        base = Severity.HIGH if len(reasons) > 1 else Severity.MEDIUM
        yield Conflict(
            rule=Rule.AT_RISK_WITHOUT_ACTION,
            subject=(_kr(key_result.id),),
            severity=stakes.severity(plan, key_result, active, base),
            sentence=(
                f"Key result {quote(key_result.title)} is {join_phrases(list(reasons.values()))}"
                ", yet "
                + ("none of its initiatives is in Now." if work else "no initiative serves it.")
            ),
            involved=tuple(_initiative(i.id) for i in work),
            suggestions=suggestions,
            inputs=(*sorted(reasons), tuple(sorted((i.id, i.horizon) for i in work))),
        )


def _risks(
    plan: PlanSnapshot, key_result: KeyResultFacts, cycle: CycleFacts, elapsed: float
) -> dict[str, str]:
    """Why a checked-in key result is at risk, each reason with its numbers."""
    reasons = {}
    share = measured_progress(
        key_result.kind,
        key_result.start,
        key_result.target,
        key_result.current,
        checked_in=key_result.last_check_in is not None,
    )
    if share is not None and pace(key_result.kind, share, elapsed) is Pace.BEHIND:
        # Adding 0.0 turns a negative zero into zero, which would print as "-0%".
        done = max(share, 0.0) + 0.0
        reasons["behind"] = f"behind pace ({done:.0%} done with {elapsed:.0%} of {cycle.name} gone)"
    if key_result.last_confidence is not None and (
        confidence_status(key_result.last_confidence) is not Confidence.ON_TRACK
    ):
        reasons["low"] = f"at confidence {key_result.last_confidence}/10"
    outcome = key_result_forecast(plan, key_result)
    if isinstance(outcome, Forecast) and outcome.probability < LIKELY_TO_MISS:
        where = (
            ""
            if key_result.kind == "milestone"
            else f", forecast {_number(outcome.value)} (80%: {_number(outcome.low)} to "
            f"{_number(outcome.high)}) against {_number(key_result.target)}"
        )
        reasons["likely_to_miss"] = (
            f"likely to miss ({outcome.percent}% likely by {day_words(cycle.end)}{where})"
        )
    return reasons


def _no_check_in_yet(key_result: KeyResultFacts, cycle: CycleFacts, elapsed: float) -> Conflict:
    return Conflict(
        rule=Rule.AT_RISK_WITHOUT_ACTION,
        subject=(_kr(key_result.id),),
        severity=Severity.LOW,
        sentence=(
            f"Key result {quote(key_result.title)} has no check-in yet, with {elapsed:.0%} of "
            f"{cycle.name} gone: its owner should say where it stands."
        ),
        suggestions=(),
        inputs=("no_check_in",),
    )


def _number(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def strategy_gap(plan: PlanSnapshot) -> Iterator[Conflict]:
    """Objectives aligned to no pillar (directly or through a parent), and pillars no
    objective of the active cycle serves."""
    active = plan.active_cycle
    if active is None:
        return

    def pillar_of(objective_id: int) -> int | None:
        seen: set[int] = set()
        current = plan.objective.get(objective_id)
        while current is not None and current.id not in seen:
            if current.pillar_id is not None:
                return current.pillar_id
            seen.add(current.id)
            current = plan.objective.get(current.parent_id) if current.parent_id else None
        return None

    served: set[int] = set()
    for objective in plan.objectives:
        if objective.cycle_id != active.id or objective.status != "active":
            continue
        pillar_id = pillar_of(objective.id)
        if pillar_id is not None:
            served.add(pillar_id)
            continue
        yield Conflict(
            rule=Rule.STRATEGY_GAP,
            subject=(Ref("objective", objective.id),),
            severity=Severity.LOW,
            sentence=(
                f"Objective {quote(objective.title)} of {active.name} is aligned to no "
                f"strategic pillar, directly or through a parent objective."
            ),
            suggestions=(
                Suggestion(
                    "align_objective", "Align it to a pillar", (("objective_id", objective.id),)
                ),
            ),
            inputs=(objective.parent_id,),
        )
    for pillar in plan.pillars:
        if pillar.archived or pillar.id in served:
            continue
        yield Conflict(
            rule=Rule.STRATEGY_GAP,
            subject=(Ref("pillar", pillar.id), Ref("cycle", active.id)),
            severity=Severity.MEDIUM,
            sentence=f"Pillar {quote(pillar.name)} has no objective in {active.name}.",
            suggestions=(),
            inputs=(),
        )


ALL_RULES = (
    late_delivery,
    unsupported_key_result,
    orphan_work,
    over_capacity,
    dependency_order,
    dropped_goal_live_work,
    at_risk_without_action,
    strategy_gap,
)

# The rules that read a key result's readings (its current value, confidence, last check-in
# and check-ins), each judging only the key result it is about; the others never look at
# them. So a check-in can change only these rules' verdicts on its own key result.
READING_RULES = (unsupported_key_result, at_risk_without_action)
READING_RULE_NAMES = (Rule.UNSUPPORTED_KEY_RESULT, Rule.AT_RISK_WITHOUT_ACTION)


def detect(plan: PlanSnapshot, rules: Iterable[RuleFunction] = ALL_RULES) -> list[Conflict]:
    """Every conflict in the plan, most severe first; one per key."""
    found: dict[str, Conflict] = {}
    # The rules build tens of thousands of small objects and no reference cycles; pausing
    # the cycle collector saves it from rescanning the whole snapshot again and again.
    with collector_paused():
        for rule in rules:
            for conflict in rule(plan):
                found.setdefault(conflict.key, conflict)
    order = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}
    ranked = sorted(found.items(), key=lambda item: (order[item[1].severity], item[0]))
    return [conflict for _, conflict in ranked]
