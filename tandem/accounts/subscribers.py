"""allauth's account and two-factor announcements, written to the access log."""

from typing import Any

from django.http import HttpRequest

from tandem.accounts.accesslog import access_log_record, client_ip
from tandem.accounts.models import AccessKind


def password_changed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    access_log_record(kind=AccessKind.PASSWORD_CHANGED, actor=user, ip=client_ip(request))


def password_reset(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    access_log_record(kind=AccessKind.PASSWORD_RESET, actor=user, ip=client_ip(request))


def _kind_name(authenticator: Any) -> str:
    return "recovery codes" if authenticator.type == "recovery_codes" else "authenticator app"


def authenticator_added(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    if authenticator.type == "totp":
        access_log_record(
            kind=AccessKind.MFA_ENABLED,
            actor=user,
            ip=client_ip(request),
            detail="authenticator app",
        )


def authenticator_removed(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    if authenticator.type == "totp":
        access_log_record(
            kind=AccessKind.MFA_DISABLED,
            actor=user,
            ip=client_ip(request),
            detail="authenticator app",
        )


def authenticator_reset(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    access_log_record(
        kind=AccessKind.RECOVERY_CODES,
        actor=user,
        ip=client_ip(request),
        detail=_kind_name(authenticator),
    )
