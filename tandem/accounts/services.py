"""Writes to users, workspaces, members and API tokens."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.utils import is_mfa_enabled
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.text import slugify

from tandem.accounts.access import require_role
from tandem.accounts.accesslog import access_log_record
from tandem.accounts.models import (
    ROLE_RANK,
    AccessKind,
    ApiToken,
    Member,
    Role,
    User,
    Workspace,
    WorkspaceDeletion,
)
from tandem.activity.services import record_change, snapshot, tracked_update
from tandem.core.versioning import bump_version, check_version

# Said to anyone who asks for a slug in use, member or not: never "that workspace exists".
SLUG_NOT_AVAILABLE = "This web address is not available; choose another one."


@transaction.atomic
def user_create(
    *, email: str, password: str | None, name: str = "", validate_password: bool = False
) -> User:
    """An account whose address is taken as proven: made by an administrator, the command
    line or an accepted invitation (the link reached that inbox). `validate_password`
    applies Django's password validators, for passwords a person chose."""
    email = User.objects.normalize_email(email.strip()).lower()
    user = User(email=email, name=name.strip())
    user.full_clean(exclude=["password"])
    if validate_password and password is not None:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def user_register(*, email: str, password: str, name: str = "") -> User:
    """A new account someone makes for themself (accepting an invitation): the password
    must pass the installation's validators, each failure named under `password`."""
    user = User(email=User.objects.normalize_email(email.strip()).lower(), name=name.strip())
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    return user_create(email=user.email, password=password, name=user.name)


def _refuse_taken_slug(workspace: Workspace) -> None:
    taken = Workspace.objects.filter(slug=workspace.slug).exclude(pk=workspace.pk).exists()
    if taken:
        raise ValidationError({"slug": ValidationError(SLUG_NOT_AVAILABLE, code="unique")})


@transaction.atomic
def workspace_create(*, name: str, owner: User, slug: str = "") -> Workspace:
    workspace = Workspace(name=name.strip(), slug=slug or slugify(name)[:60])
    workspace.full_clean(validate_unique=False)
    _refuse_taken_slug(workspace)
    workspace.save()
    member = Member.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    record_change(by=member, obj=workspace, action="created", after=snapshot(workspace))
    return workspace


def workspace_update(
    *, by: Member, expected_version: int | None = None, **changes: Any
) -> Workspace:
    """Name, slug, time zone, default cycle length and the grace period of new key results,
    by an admin or owner."""
    unknown = set(changes) - {
        "name",
        "slug",
        "time_zone",
        "cycle_weeks",
        "new_key_result_grace_days",
        "check_in_every_days",
    }
    if unknown:
        raise TypeError(f"workspace_update() cannot change {', '.join(sorted(unknown))}")
    require_role(by, Role.ADMIN)
    workspace = Workspace.objects.get(pk=by.workspace_id)
    check_version(workspace, expected_version)
    if "name" in changes:
        changes["name"] = str(changes["name"]).strip()
    with transaction.atomic():
        before = snapshot(workspace, changes)
        for field, value in changes.items():
            setattr(workspace, field, value)
        workspace.full_clean(validate_unique=False)
        _refuse_taken_slug(workspace)
        after = snapshot(workspace, changes)
        changed = [field for field in changes if before[field] != after[field]]
        if changed:
            bump_version(workspace, expected_version)
            workspace.save(update_fields=changed)
            record_change(
                by=by,
                obj=workspace,
                action="updated",
                before={f: before[f] for f in changed},
                after={f: after[f] for f in changed},
            )
    by.workspace = workspace
    return workspace


@transaction.atomic
def workspace_archive(*, by: Member, archived: bool = True) -> Workspace:
    """An archived workspace stays readable but leaves the switcher's live list."""
    require_role(by, Role.OWNER)
    workspace = Workspace.objects.get(pk=by.workspace_id)
    if bool(workspace.archived_at) != archived:
        workspace.archived_at = timezone.now() if archived else None
        workspace.save(update_fields=["archived_at"])
        record_change(by=by, obj=workspace, action="archived" if archived else "restored", after={})
    return workspace


def workspace_removal_counts(workspace: Workspace) -> dict[str, int]:
    """Rows that deleting the workspace removes, by table (the Member rows included)."""
    collector = Collector(using="default")
    collector.collect([workspace])
    counts: dict[str, int] = {}
    for model, instances in collector.data.items():
        counts[model._meta.label] = counts.get(model._meta.label, 0) + len(instances)
    for queryset in collector.fast_deletes:
        if isinstance(queryset, models.QuerySet):
            label = queryset.model._meta.label
            counts[label] = counts.get(label, 0) + queryset.count()
    return {label: n for label, n in sorted(counts.items()) if n}


@transaction.atomic
def workspace_delete(*, workspace: Workspace, confirm: str, by: Member | None) -> WorkspaceDeletion:
    """Delete a workspace and everything in it. An owner must type its slug; `by` is None
    only for Tandem itself (`tandem demo --reset`). What was removed is kept on record."""
    if by is not None:
        if by.workspace_id != workspace.pk:
            raise LookupError("Object belongs to another workspace.")
        require_role(by, Role.OWNER)
    if confirm.strip() != workspace.slug:
        raise ValidationError(
            {"confirm": f"Type the workspace's web address, “{workspace.slug}”, to delete it."}
        )
    removed = workspace_removal_counts(workspace)
    record = WorkspaceDeletion.objects.create(
        name=workspace.name,
        slug=workspace.slug,
        deleted_by=by.user if by is not None else None,
        removed=removed,
    )
    workspace.delete()
    return record


@transaction.atomic
def member_add(*, user: User, role: str, by: Member) -> Member:
    require_role(by, Role.ADMIN)
    if role == Role.OWNER:
        require_role(by, Role.OWNER)
    if Member.objects.in_workspace(by.workspace).filter(user=user).exists():
        raise ValidationError({"user": "This person is already a member of the workspace."})
    member = Member(workspace=by.workspace, user=user, role=role)
    member.full_clean()
    member.save()
    record_change(by=by, obj=member, action="created", after={"user": user.email, "role": role})
    access_log_record(
        kind=AccessKind.MEMBER_ADDED,
        actor=by.user,
        workspace=by.workspace,
        detail=f"{user.email} as {member.get_role_display().lower()}",
    )
    return member


def _refuse_last_owner(member: Member, field: str, message: str) -> None:
    if member.role != Role.OWNER:
        return
    # Locked, so two owners demoting each other at once cannot both succeed.
    owners = Member.objects.select_for_update().in_workspace(member.workspace)
    if not owners.filter(role=Role.OWNER).exclude(pk=member.pk).exists():
        raise ValidationError({field: message})


def check_may_grant(by: Member, role: str) -> None:
    """Nobody grants a role above their own: an admin cannot make an owner."""
    if role in ROLE_RANK and ROLE_RANK[Role(role)] > ROLE_RANK[Role(by.role)]:
        raise PermissionDenied(f"Only an owner can make someone {Role(role).label.lower()}.")


@transaction.atomic
def member_set_role(
    *, member: Member, role: str, by: Member, expected_version: int | None = None
) -> Member:
    if member.workspace_id != by.workspace_id:
        raise LookupError("Object belongs to another workspace.")
    require_role(by, Role.OWNER if Role.OWNER in {role, member.role} else Role.ADMIN)
    check_version(member, expected_version)
    check_may_grant(by, role)
    if role != Role.OWNER:
        _refuse_last_owner(member, "role", "A workspace keeps at least one owner.")
    before = member.role
    member.role = role
    member.full_clean()
    if role == before:
        return member
    bump_version(member, expected_version)
    member.save(update_fields=["role"])
    record_change(
        by=by, obj=member, action="updated", before={"role": before}, after={"role": role}
    )
    access_log_record(
        kind=AccessKind.ROLE_CHANGED,
        actor=by.user,
        workspace=by.workspace,
        detail=f"{member.user.email}: {before} → {role}",
    )
    return member


def member_set_time_zone(*, member: Member, time_zone: str) -> Member:
    """A member's own time zone ("" follows the workspace's); only they set it."""
    member.time_zone = time_zone.strip()
    try:
        member.clean_fields(exclude=["workspace", "user", "role", "joined_at"])
    except ValidationError as error:
        raise ValidationError({"time_zone": error.message_dict.get("time_zone", [])}) from None
    member.save(update_fields=["time_zone"])
    return member


# Fields of other areas' rows that make a member responsible for them: shown before a
# removal and handed to someone else. Found through the relations to Member, so this
# lower layer names no higher app.
OWNERSHIP_FIELDS = ("owner", "lead")


def _ownership_relations() -> list[Any]:
    return [
        relation
        for relation in Member._meta.related_objects
        if not relation.many_to_many and relation.field.name in OWNERSHIP_FIELDS
    ]


def member_owned(member: Member) -> list[models.Model]:
    """What the member owns or leads (objectives, key results, initiatives, teams): one
    query per kind of thing."""
    owned: list[models.Model] = []
    for relation in _ownership_relations():
        manager = relation.related_model._default_manager
        owned.extend(manager.filter(**{relation.field.name: member}).order_by("pk"))
    return owned


@transaction.atomic
def member_reassign(*, member: Member, to: Member | None, by: Member) -> int:
    """Hand everything `member` owns or leads to `to` (or nobody). Each row changes through
    the recorded update, so the history says who took over. Returns how many changed."""
    require_role(by, Role.ADMIN)
    for person in (member, to):
        if person is not None and person.workspace_id != by.workspace_id:
            raise ValidationError({"to": "Choose a member of this workspace."})
    if to is not None and to.pk == member.pk:
        raise ValidationError({"to": "Choose someone other than the member leaving."})
    owned = member_owned(member)
    for obj in owned:
        field = next(f for f in OWNERSHIP_FIELDS if getattr(obj, f"{f}_id", None) == member.pk)
        tracked_update(obj, by=by, role=Role.ADMIN, changes={field: to})
    return len(owned)


@transaction.atomic
def member_remove(*, member: Member, by: Member) -> None:
    """Take someone out of the workspace. Never the last owner; only an owner removes an
    owner. Whatever they still own is left without an owner (reassign it first)."""
    if member.workspace_id != by.workspace_id:
        raise LookupError("Object belongs to another workspace.")
    if member.pk != by.pk:
        require_role(by, Role.OWNER if member.role == Role.OWNER else Role.ADMIN)
    _refuse_last_owner(
        member, "member", "A workspace keeps at least one owner: make someone else owner first."
    )
    record_change(
        by=by,
        obj=member,
        action="deleted",
        before={"user": member.user.email, "role": member.role},
    )
    access_log_record(
        kind=AccessKind.MEMBER_REMOVED,
        actor=by.user,
        workspace=by.workspace,
        detail=f"{member.user.email} ({member.get_role_display().lower()})",
    )
    member_access_end(member=member)
    member.delete()


@transaction.atomic
def sso_join(*, user: User, ip: str | None) -> Member | None:
    """Someone whose first single sign-on comes from TANDEM_OIDC_JOIN_DOMAIN joins
    TANDEM_OIDC_JOIN_WORKSPACE with TANDEM_OIDC_JOIN_ROLE."""
    join = settings.TANDEM_OIDC_JOIN
    if not join or user.email.rpartition("@")[2].lower() != join["domain"]:
        return None
    workspace = Workspace.objects.filter(slug=join["workspace"]).first()
    if workspace is None or Member.objects.filter(workspace=workspace, user=user).exists():
        return None
    member = Member.objects.create(workspace=workspace, user=user, role=join["role"])
    access_log_record(
        kind=AccessKind.SSO_JOINED,
        actor=user,
        workspace=workspace,
        ip=ip,
        detail=f"as {member.get_role_display().lower()}, by the domain {join['domain']}",
    )
    return member


@transaction.atomic
def workspace_require_two_factor(*, by: Member, required: bool, ip: str | None = None) -> Workspace:
    require_role(by, Role.OWNER)
    workspace = by.workspace
    if required and not is_mfa_enabled(by.user):
        raise ValidationError(
            {"required": "Turn on two-factor sign-in for yourself first, or you would be shut out."}
        )
    if workspace.require_two_factor != required:
        workspace.require_two_factor = required
        workspace.save(update_fields=["require_two_factor"])
        access_log_record(
            kind=AccessKind.MFA_REQUIRED,
            actor=by.user,
            workspace=workspace,
            ip=ip,
            detail="now required" if required else "no longer required",
        )
    return workspace


def _end_sessions(user: User) -> int:
    """Log the user out everywhere: every session allauth has seen them use."""
    sessions = list(UserSession.objects.filter(user=user))
    for session in sessions:
        session.end()
    return len(sessions)


@transaction.atomic
def user_deactivate(*, user: User, by: User | None, ip: str | None = None) -> User:
    """Cut all access at once: sessions, API tokens and calendar feed addresses end now."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    for membership in user.memberships.all():
        membership.calendar_feeds.all().delete()
    _end_sessions(user)
    access_log_record(
        kind=AccessKind.USER_DEACTIVATED, actor=by, ip=ip, email=user.email, detail=user.email
    )
    return user


def member_access_end(*, member: Member) -> None:
    """What removing a member from a workspace must cut at once, called by the removal
    service in its transaction: their sessions (they sign in again to reach their other
    workspaces), tokens bound to this workspace, and their calendar feeds of it."""
    ApiToken.objects.filter(
        user_id=member.user_id, workspace_id=member.workspace_id, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    member.calendar_feeds.all().delete()
    _end_sessions(member.user)


from tandem.accounts.tokens import (  # noqa: E402  re-exported: callers import from services
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
)

__all__ = ["api_token_authenticate", "api_token_create", "api_token_revoke"]
