"""The access log: who got in, who failed to, and who let whom in, with when and from where.

Every door that changes access calls `access_log_record`: sign-in and two-factor (through
allauth's adapters), tokens, invitations, roles and removals (through their services).
"""

from django.http import HttpRequest

from tandem.accounts.models import AccessEvent, AccessKind, User, Workspace


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from. Behind a proxy this is the proxy's, unless the
    proxy sets REMOTE_ADDR (gunicorn's --forwarded-allow-ips does)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def access_log_record(
    *,
    kind: str,
    actor: User | None,
    workspace: Workspace | None = None,
    ip: str | None = None,
    detail: str = "",
    email: str = "",
) -> AccessEvent:
    """Record one event. `actor` is who acted (None for a failed sign-in of no account);
    `workspace` is None for personal events (sign-in, two-factor, an unbound token), which
    the owners of every workspace the actor belongs to then see."""
    return AccessEvent.objects.create(
        kind=AccessKind(kind),
        actor=actor,
        email=(email or (actor.email if actor else ""))[:254],
        workspace=workspace,
        ip=ip,
        detail=detail[:300],
    )
