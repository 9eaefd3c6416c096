"""Writes to the workspace's strategy: vision, pillars and teams."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.accounts.access import require_role
from tandem.accounts.models import Member, Role
from tandem.activity.services import record_change, tracked_create, tracked_update
from tandem.core.hierarchy import refuse_parent_loop
from tandem.core.versioning import StaleVersion, bump_version, check_version
from tandem.strategy.models import Pillar, Strategy, Team


def strategy_set_vision(
    *, vision: str, by: Member, reason: str = "", expected_version: int | None = None
) -> Strategy:
    """Version 0 is the vision not written yet."""
    strategy = Strategy.objects.in_workspace(by.workspace).first()
    if strategy is None:
        if expected_version:
            raise StaleVersion(Strategy(workspace=by.workspace), expected_version, 0)
        return tracked_create(
            Strategy, by=by, role=Role.ADMIN, vision=vision.strip(), reason=reason
        )
    changes: dict[str, object] = {}
    if vision.strip() != strategy.vision:
        changes = {"vision": vision.strip(), "updated_at": timezone.now()}
    return tracked_update(
        strategy,
        by=by,
        role=Role.ADMIN,
        changes=changes,
        reason=reason,
        expected_version=expected_version,
    )


def pillar_create(
    *, name: str, description: str = "", position: int = 0, by: Member, reason: str = ""
) -> Pillar:
    return tracked_create(
        Pillar,
        by=by,
        role=Role.ADMIN,
        name=name.strip(),
        description=description,
        position=position,
        reason=reason,
    )


def pillar_update(
    *,
    pillar: Pillar,
    by: Member,
    reason: str = "",
    expected_version: int | None = None,
    **changes: object,
) -> Pillar:
    return tracked_update(
        pillar,
        by=by,
        role=Role.ADMIN,
        changes=changes,
        reason=reason,
        expected_version=expected_version,
    )


def pillar_archive(*, pillar: Pillar, by: Member, reason: str = "") -> Pillar:
    return tracked_update(
        pillar,
        by=by,
        role=Role.ADMIN,
        changes={"archived_at": timezone.now()},
        action="archived",
        reason=reason,
    )


@transaction.atomic
def pillar_move(*, pillar: Pillar, to: int, by: Member) -> Pillar:
    """Put a live pillar at 0-based place `to` among the live pillars and number them all
    again, so the order is the same for everyone whatever the positions held before."""
    require_role(by, Role.ADMIN)
    live = list(
        Pillar.objects.select_for_update()
        .in_workspace(by.workspace)
        .filter(archived_at__isnull=True)
        .order_by("position", "name")
    )
    if pillar.pk not in {p.pk for p in live}:
        raise ValidationError({"pillar": "An archived pillar has no place in the order."})
    if not 0 <= to < len(live):
        raise ValidationError({"position": f"Choose a place from 1 to {len(live)}."})
    order = [p for p in live if p.pk != pillar.pk]
    order.insert(to, pillar)
    before = [p.pk for p in live]
    if before == [p.pk for p in order]:
        return pillar
    for position, each in enumerate(order):
        if each.position != position:
            bump_version(each)
            each.position = position
            each.save(update_fields=["position"])
    record_change(
        by=by,
        obj=pillar,
        action="reordered",
        before={"order": before},
        after={"order": [p.pk for p in order]},
    )
    return pillar


def team_create(
    *,
    name: str,
    parent: Team | None = None,
    color: str = "#4f6bed",
    by: Member,
    reason: str = "",
    **external: str,
) -> Team:
    """`external`: the external_source, external_id and external_url of an imported team."""
    return tracked_create(
        Team,
        by=by,
        role=Role.ADMIN,
        name=name.strip(),
        parent=parent,
        color=color,
        reason=reason,
        **external,
    )


def team_update(
    *,
    team: Team,
    by: Member,
    reason: str = "",
    expected_version: int | None = None,
    **changes: object,
) -> Team:
    if "parent" in changes:
        refuse_parent_loop(team, changes["parent"], label="name")
    if "name" in changes:
        changes["name"] = str(changes["name"]).strip()
    lead = changes.get("lead")
    if isinstance(lead, Member) and (
        lead.workspace_id != by.workspace_id or not team.members.filter(pk=lead.pk).exists()
    ):
        raise ValidationError({"lead": "The lead must be one of the team's members."})
    return tracked_update(
        team,
        by=by,
        role=Role.ADMIN,
        changes=changes,
        reason=reason,
        expected_version=expected_version,
    )


def team_archive(*, team: Team, by: Member, archived: bool = True, reason: str = "") -> Team:
    """An archived team keeps its history and its objectives; it leaves the live lists."""
    return tracked_update(
        team,
        by=by,
        role=Role.ADMIN,
        changes={"archived_at": timezone.now() if archived else None},
        action="archived" if archived else "restored",
        reason=reason,
    )


@transaction.atomic
def team_set_members(
    *, team: Team, members: Iterable[Member], by: Member, expected_version: int | None = None
) -> Team:
    require_role(by, Role.ADMIN)
    wanted = list(members)
    foreign = [m for m in wanted if m.workspace_id != by.workspace_id]
    if foreign:
        raise ValidationError({"members": "Every member must belong to this workspace."})
    check_version(team, expected_version)
    before = sorted(team.members.values_list("id", flat=True))
    after = sorted(m.pk for m in wanted)
    if team.lead_id is not None and team.lead_id not in after:
        # A lead taken out of the team no longer leads it.
        tracked_update(team, by=by, role=Role.ADMIN, changes={"lead": None})
    if before != after:
        bump_version(team, expected_version)
        team.members.set(wanted)
        record_change(
            by=by,
            obj=team,
            action="members_changed",
            before={"members": before},
            after={"members": after},
        )
    return team
