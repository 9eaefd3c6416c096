"""Personal API tokens: made, checked on every API call, revoked.

A token is refused (401) once revoked or expired or when its user is deactivated; it
answers 403 when it only reads and the call writes, and a workspace it is not bound to is
a 404, as for anyone who is not a member."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.accounts.accesslog import access_log_record
from tandem.accounts.models import (
    AccessKind,
    ApiToken,
    Member,
    TokenScope,
    User,
    Workspace,
    hash_token,
)
from tandem.core.rows import one_row

# A year is plenty; a token meant to live longer should not expire.
MAX_LIFETIME = datetime.timedelta(days=366)


@transaction.atomic
def api_token_create(
    *,
    user: User,
    name: str,
    scope: str = TokenScope.WRITE,
    workspace: Workspace | None = None,
    expires_at: datetime.datetime | None = None,
    ip: str | None = None,
) -> tuple[ApiToken, str]:
    """Returns the token row and the raw token, which is never stored and shown only once."""
    errors: dict[str, str] = {}
    if scope not in TokenScope.values:
        errors["scope"] = "Choose read (read only) or write (read and write)."
    now = timezone.now()
    if expires_at is not None:
        if timezone.is_naive(expires_at):
            errors["expires_at"] = "Give the time zone of the expiry, e.g. 2027-01-31T00:00Z."
        elif expires_at <= now:
            errors["expires_at"] = "The expiry must be in the future."
        elif expires_at > now + MAX_LIFETIME:
            errors["expires_at"] = "A token can live a year at most; leave it empty for none."
    if (
        workspace is not None
        and not Member.objects.of_user(user).filter(workspace=workspace).exists()
    ):
        errors["workspace"] = "You are not a member of this workspace."
    if errors:
        raise ValidationError(errors)
    raw = ApiToken.generate()
    token = ApiToken(
        user=user,
        name=name.strip() or "API token",
        hint=raw[:10],
        scope=scope,
        workspace=workspace,
        expires_at=expires_at,
    )
    token.token_hash = hash_token(raw)
    token.full_clean()
    token.save()
    access_log_record(
        kind=AccessKind.TOKEN_CREATED,
        actor=user,
        workspace=workspace,
        ip=ip,
        detail=f"“{token.name}”, {token.get_scope_display().lower()}",
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User, ip: str | None = None) -> ApiToken:
    if token.user_id != by.pk:
        raise ValidationError({"token": "You can only revoke your own tokens."})
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        access_log_record(
            kind=AccessKind.TOKEN_REVOKED,
            actor=by,
            workspace=token.workspace,
            ip=ip,
            detail=f"“{token.name}”",
        )
    return token


def api_token_find(raw: str) -> ApiToken | None:
    """The token behind a raw value, whatever its state, with its user; None when there is
    none. Read on every API call, so its SQL is written once (tandem.core.rows)."""
    return one_row(ApiToken, joins=["user"], where={"token_hash": hash_token(raw)})


def api_token_touch(token: ApiToken) -> None:
    now = timezone.now()
    # Write at most once a minute per token, not on every request.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def api_token_authenticate(raw: str) -> User | None:
    """The user of a live, unexpired token, or None."""
    token = api_token_find(raw)
    if token is None or token.state != "active" or not token.user.is_active:
        return None
    api_token_touch(token)
    return token.user
