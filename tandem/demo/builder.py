"""Builds the demo workspace "Acme" through the services, so every row has its ChangeEvent.

The content is static (content*.py) and the randomness seeded, so the workspace depends
only on today: the previous quarter is closed and graded, the current one is active with
weekly check-ins up to today, the next one is in planning.

Deliberate inconsistencies, for the conflict detection to find (all in the active
quarter; search the content for "Inconsistency"):

1. Unsupported key result: "Reduce cold start time from 3.4 s to 1.8 s" (Mobile) has no
   initiative contributing to it.
2. Orphan work: "Rewrite the notification service in Go" (Platform) is live and serves
   no key result.
3. Over capacity: team Growth has 40 person-weeks of planned and in-progress work in Now
   against a capacity of 30.
4. Late delivery: "Shard the primary database" serves "Move 100% of workspaces to the
   sharded database" but ends five weeks into the next quarter.
5. Dependency order: "Two-way Salesforce sync" depends on "Field-level permissions in the
   API" but starts three weeks before that ends.

Everything else is kept consistent on purpose (live work dated inside its quarter, every
other key result served by live work in Now or marked as needing none, dependencies in
order), so these five stand out.
"""

import base64
import datetime
import hashlib
import hmac
import os
import random
from collections import Counter
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import Member, User, Workspace
from tandem.accounts.services import member_add, user_create, workspace_create, workspace_delete
from tandem.demo import content
from tandem.demo.content_okrs import ACTIVE, NEXT, PREVIOUS
from tandem.demo.content_roadmap import DEPENDENCIES, INITIATIVES
from tandem.demo.drift import add_drift
from tandem.demo.insights import add_insights
from tandem.demo.readings import check_in_dates, readings
from tandem.demo.specs import KR, ObjectiveSpec
from tandem.demo.timeline import Quarters, place_all
from tandem.domain.calendar import Span
from tandem.okrs.models import Cycle, CycleState, KeyResult, Objective
from tandem.okrs.services import (
    cycle_create,
    key_result_check_in,
    key_result_create,
    key_result_update,
    objective_create,
)
from tandem.reviews.closing import cycle_close
from tandem.roadmaps.models import Initiative, Roadmap
from tandem.roadmaps.services import (
    contribution_create,
    dependency_create,
    initiative_create,
    roadmap_create,
    team_capacity_set,
)
from tandem.strategy.models import Pillar, Team
from tandem.strategy.services import (
    pillar_create,
    strategy_set_vision,
    team_create,
    team_set_members,
    team_update,
)

SEED = "tandem-demo-acme-1"
ACTIVE_CHECK_INS = 8  # weekly, going back from today
# The closed quarter's history is fortnightly: enough for its retrospective chart, and
# each check-in costs dozens of validation queries in the services.
CLOSED_CHECK_INS, CLOSED_EVERY_WEEKS = 7, 2

REACH = (150, 300, 500, 800, 1200, 2000, 3500)
IMPACT = ("0.25", "0.5", "1", "2", "3")
CONFIDENCE = (50, 80, 80, 100)


def demo_password() -> str:
    """TANDEM_DEMO_PASSWORD, or one derived from the secret key: the same on every run
    of the same installation, without storing it anywhere."""
    configured = os.environ.get("TANDEM_DEMO_PASSWORD", "")
    if configured:
        return configured
    digest = hmac.new(
        settings.SECRET_KEY.encode(), b"tandem-demo-password", hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).decode()[:16]


def ensure_demo(*, password: str, reset: bool = False) -> tuple[Workspace, bool]:
    """The Acme workspace, built unless it exists (True when built now). `reset` deletes
    Acme first; no other workspace is touched. Dana's password is set only if it differs."""
    with transaction.atomic():
        old = Workspace.objects.filter(slug=content.WORKSPACE_SLUG).first() if reset else None
        if old is not None:
            workspace_delete(workspace=old, confirm=old.slug, by=None)
        dana = _demo_user(password)
        existing = Workspace.objects.filter(slug=content.WORKSPACE_SLUG).first()
        if existing is not None:
            return existing, False
        return build_demo(owner=dana, today=timezone.localdate()), True


def build_demo(
    *,
    owner: User,
    today: datetime.date,
    name: str = content.WORKSPACE_NAME,
    slug: str = content.WORKSPACE_SLUG,
) -> Workspace:
    """Build the Acme workspace around `today`, owned by `owner`."""
    return _Builder(today).build(owner, name=name, slug=slug)


def _demo_user(password: str) -> User:
    user = User.objects.filter(email=content.DEMO_EMAIL).first()
    if user is None:
        return user_create(email=content.DEMO_EMAIL, password=password, name=content.DEMO_NAME)
    if not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def _colleague(email: str, name: str) -> User:
    # Colleagues get no usable password: only the demo login should open the demo.
    existing = User.objects.filter(email=email).first()
    return existing or user_create(email=email, password=None, name=name)


class _Builder:
    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self.quarters = Quarters.around(today)
        self.people: dict[str, Member] = {}
        self.pillars: dict[str, Pillar] = {}
        self.teams: dict[str, Team] = {}
        self.leads: dict[str, Member] = {}
        self.roadmap_of_team: dict[str, str] = {}
        self.roadmaps: dict[str, Roadmap] = {}
        self.objectives: dict[str, Objective] = {}
        self.key_results: dict[str, KeyResult] = {}
        self.kr_specs: dict[str, KR] = {}
        self.initiatives: dict[str, Initiative] = {}

    def rng(self, key: str) -> random.Random:
        # One generator per entity, seeded by its key: adding or reordering content never
        # changes the numbers of anything else.
        return random.Random(f"{SEED}/{key}")

    def build(
        self,
        dana_user: User,
        *,
        name: str = content.WORKSPACE_NAME,
        slug: str = content.WORKSPACE_SLUG,
    ) -> Workspace:
        """The Acme workspace, owned by `dana_user` (the demo login, or whoever explores a
        copy under another name and slug)."""
        workspace = workspace_create(name=name, owner=dana_user, slug=slug)
        dana = Member.objects.get(workspace=workspace, user=dana_user)
        self.people[content.DANA] = dana
        self._people_and_teams(dana)
        previous, active, upcoming = self._cycles(dana)
        for cycle, objectives in ((previous, PREVIOUS), (active, ACTIVE), (upcoming, NEXT)):
            self._okrs(cycle, objectives)
        self._check_ins(PREVIOUS, self.quarters.previous, self.quarters.previous.end, closed=True)
        self._check_ins(ACTIVE, self.quarters.active, self.today, closed=False)
        self._grades()
        self._roadmap()
        # Closed last: check-ins, grades and links to its key results are refused after.
        cycle_close(cycle=previous, by=dana)
        self._capacities(active, upcoming)
        add_insights(
            people=self.people, initiatives=self.initiatives, today=self.today, rng=self.rng
        )
        add_drift(workspace=workspace, cycle=active, by=dana, today=self.today)
        return workspace

    def _people_and_teams(self, dana: Member) -> None:
        for person in content.PEOPLE:
            user = _colleague(person.email, person.name)
            self.people[person.key] = member_add(user=user, role=person.role, by=dana)
        strategy_set_vision(vision=content.VISION, by=dana)
        for position, (key, name, description) in enumerate(content.PILLARS):
            self.pillars[key] = pillar_create(
                name=name, description=description, position=position, by=dana
            )
        for spec in content.TEAMS:
            team = team_create(name=spec.name, color=spec.color, by=dana)
            team_set_members(team=team, members=[self.people[k] for k in spec.members], by=dana)
            self.teams[spec.name] = team
            self.leads[spec.name] = self.people[spec.lead]
            if spec.lead in spec.members:
                team_update(team=team, lead=self.people[spec.lead], by=dana)
            self.roadmap_of_team[spec.name] = spec.roadmap
        for name, team_name, description in content.ROADMAPS:
            self.roadmaps[name] = roadmap_create(
                name=name,
                description=description,
                team=self.teams[team_name] if team_name else None,
                by=dana,
            )

    def _cycles(self, dana: Member) -> tuple[Cycle, Cycle, Cycle]:
        def create(span: Span, state: str) -> Cycle:
            return cycle_create(
                name=span.name, start=span.start, end=span.end, state=state, by=dana
            )

        q = self.quarters
        # The previous quarter is built active, filled, graded and then closed, the way a
        # real quarter ends.
        return (
            create(q.previous, CycleState.ACTIVE),
            create(q.active, CycleState.ACTIVE),
            create(q.next, CycleState.PLANNING),
        )

    def _okrs(self, cycle: Cycle, specs: tuple[ObjectiveSpec, ...]) -> None:
        for position, spec in enumerate(specs):
            owner = self.people[spec.owner]
            objective = objective_create(
                cycle=cycle,
                title=spec.title,
                description=spec.description,
                parent=self.objectives[spec.parent] if spec.parent else None,
                pillar=self.pillars[spec.pillar],
                team=self.teams[spec.team] if spec.team else None,
                owner=owner,
                commitment=spec.commitment,
                position=position,
                by=owner,
            )
            self.objectives[spec.key] = objective
            for kr_position, kr in enumerate(spec.key_results):
                self.kr_specs[kr.key] = kr
                self.key_results[kr.key] = key_result_create(
                    objective=objective,
                    title=kr.title,
                    kind=kr.kind,
                    unit=kr.unit,
                    currency=kr.currency,
                    start_value=Decimal(kr.start),
                    target_value=Decimal(kr.target),
                    weight=Decimal(kr.weight),
                    owner=self.people[kr.owner],
                    needs_no_initiative=kr.no_initiative,
                    position=kr_position,
                    by=owner,
                )
        # Written while the quarter was planned, two weeks before it starts (or now, for a
        # quarter still ahead): the grace period for new key results is over for the others.
        written = min(
            datetime.datetime.combine(
                cycle.start - datetime.timedelta(days=14), datetime.time(9), datetime.UTC
            ),
            timezone.now(),
        )
        Objective.objects.filter(cycle=cycle).update(created_at=written)
        KeyResult.objects.filter(objective__cycle=cycle).update(created_at=written)

    def _check_ins(
        self,
        specs: tuple[ObjectiveSpec, ...],
        span: Span,
        last: datetime.date,
        *,
        closed: bool,
    ) -> None:
        if closed:
            dates = check_in_dates(span, last, CLOSED_CHECK_INS, CLOSED_EVERY_WEEKS)
        else:
            dates = check_in_dates(span, last, ACTIVE_CHECK_INS)
        for spec in specs:
            for kr in spec.key_results:
                owner = self.people[kr.owner]
                for reading in readings(kr, span, dates, self.rng(kr.key), exact_end=closed):
                    key_result_check_in(
                        key_result=self.key_results[kr.key],
                        value=reading.value,
                        confidence=reading.confidence,
                        note=reading.note,
                        date=reading.date,
                        by=owner,
                    )

    def _grades(self) -> None:
        for spec in PREVIOUS:
            for kr in spec.key_results:
                assert kr.grade is not None, f"{kr.key} of the closed quarter needs a grade"
                key_result_update(
                    key_result=self.key_results[kr.key],
                    grade=Decimal(kr.grade),
                    grade_comment=kr.grade_comment,
                    by=self.people[kr.owner],
                )

    def _roadmap(self) -> None:
        placements = place_all(INITIATIVES, self.today, self.quarters)
        positions: Counter[str] = Counter()
        contributors = Counter(kr_key for spec in INITIATIVES for kr_key in spec.serves)
        for spec in INITIATIVES:
            placement = placements[spec.key]
            team = self.teams[spec.team]
            lead = self.leads[spec.team]
            rng = self.rng(spec.key)
            initiative = initiative_create(
                roadmap=self.roadmaps[self.roadmap_of_team[spec.team]],
                title=spec.title,
                description=spec.about,
                status=placement.status,
                horizon=placement.horizon,
                position=positions[placement.horizon],
                start_date=placement.start,
                end_date=placement.end,
                team=team,
                owner=lead,
                effort=Decimal(spec.effort),
                reach=rng.choice(REACH),
                impact=Decimal(rng.choice(IMPACT)),
                confidence=rng.choice(CONFIDENCE),
                by=lead,
            )
            positions[placement.horizon] += 1
            self.initiatives[spec.key] = initiative
            for kr_key in spec.serves:
                delta, impact = expected_contribution(self.kr_specs[kr_key], contributors[kr_key])
                contribution_create(
                    initiative=initiative,
                    key_result=self.key_results[kr_key],
                    expected_delta=delta,
                    expected_impact=impact,
                    by=lead,
                )
        team_of = {spec.key: spec.team for spec in INITIATIVES}
        for dependent, prerequisite in DEPENDENCIES:
            dependency_create(
                initiative=self.initiatives[dependent],
                depends_on=self.initiatives[prerequisite],
                by=self.leads[team_of[dependent]],
            )

    def _capacities(self, active: Cycle, upcoming: Cycle) -> None:
        for spec in content.TEAMS:
            for cycle, person_weeks in zip((active, upcoming), spec.capacity, strict=True):
                team_capacity_set(
                    team=self.teams[spec.name],
                    cycle=cycle,
                    person_weeks=Decimal(person_weeks),
                    by=self.leads[spec.name],
                )


FRACTIONS = {1: "All", 2: "About half", 3: "About a third", 4: "About a quarter"}


def expected_contribution(kr: KR, contributors: int) -> tuple[Decimal | None, str]:
    """The share of a key result's change one of its `contributors` is expected to bring:
    planners split the gap between the initiatives serving it."""
    if kr.kind == "milestone":
        if contributors == 1:
            return None, "Delivers this milestone."
        return None, f"One of {contributors} pieces of work this milestone needs."
    if kr.kind in {"stay_above", "stay_below"}:
        return None, "Helps keep it on the right side of the threshold."
    places = max(len(n.partition(".")[2]) for n in (kr.start, kr.target))
    gap = Decimal(kr.target) - Decimal(kr.start)
    delta = (gap / contributors).quantize(Decimal(1).scaleb(-places))
    share = FRACTIONS.get(contributors, f"1/{contributors}")
    if kr.unit == "percent":
        amount = f"{delta:+} points"
    elif kr.unit == "currency":
        amount = f"{'+' if delta >= 0 else '-'}${abs(delta):,}"
    else:
        amount = f"{delta:+,}"
    return delta, f"{share} of the change: {amount}."
