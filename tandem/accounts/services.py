"""Writes to users, workspaces, members and API tokens."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from tandem.accounts.access import require_role
from tandem.accounts.models import ApiToken, Member, Role, User, Workspace, hash_token
from tandem.activity.services import record_change, snapshot
from tandem.core.versioning import bump_version, check_version


def user_create(*, email: str, password: str | None, name: str = "") -> User:
    email = User.objects.normalize_email(email.strip()).lower()
    user = User(email=email, name=name.strip())
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def workspace_create(*, name: str, owner: User, slug: str = "") -> Workspace:
    workspace = Workspace(name=name.strip(), slug=slug or slugify(name)[:60])
    workspace.full_clean()
    workspace.save()
    member = Member.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    record_change(by=member, obj=workspace, action="created", after=snapshot(workspace))
    return workspace


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
    return member


@transaction.atomic
def member_set_role(
    *, member: Member, role: str, by: Member, expected_version: int | None = None
) -> Member:
    require_role(by, Role.OWNER if Role.OWNER in {role, member.role} else Role.ADMIN)
    check_version(member, expected_version)
    if member.role == Role.OWNER and role != Role.OWNER:
        owners = Member.objects.in_workspace(member.workspace).filter(role=Role.OWNER)
        if owners.count() == 1:
            raise ValidationError({"role": "A workspace keeps at least one owner."})
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
    return member


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token row and the raw token, which is never stored and shown only once."""
    raw = ApiToken.generate()
    token = ApiToken(user=user, name=name.strip() or "API token", hint=raw[:10])
    token.token_hash = hash_token(raw)
    token.full_clean()
    token.save()
    return token, raw


def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    if token.user_id != by.pk:
        raise ValidationError({"token": "You can only revoke your own tokens."})
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(raw: str) -> User | None:
    token = (
        ApiToken.objects.live().select_related("user").filter(token_hash=hash_token(raw)).first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Write at most once a minute per token, not on every request.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
