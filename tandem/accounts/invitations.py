"""Invitations: an admin invites an address with a role; the link in the mail, while it
has not expired, been used or been revoked, makes its holder a member (creating their
account when they have none). Every door (pages, API) goes through these functions."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.access import require_role
from tandem.accounts.accesslog import access_log_record
from tandem.accounts.models import AccessKind, Invitation, Member, Role, User, hash_token
from tandem.accounts.services import check_may_grant, user_register
from tandem.activity.services import record_change

VALID_FOR = datetime.timedelta(days=7)
LINK_NOT_VALID = "This invitation link is not valid. Ask for a new invitation."


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def invitation_url(raw: str) -> str:
    return settings.TANDEM_BASE_URL.rstrip("/") + reverse("invitation_accept", args=[raw])


def _normalised_email(email: str) -> str:
    email = User.objects.normalize_email(email.strip()).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": "Enter a valid email address."}) from None
    return email


@transaction.atomic
def invitation_create(*, email: str, role: str, by: Member) -> tuple[Invitation, str]:
    """Invite `email` with `role`; the mail goes out once the transaction commits.
    Returns the invitation and the raw link token (only its hash is stored)."""
    require_role(by, Role.ADMIN)
    if role not in Role.values:
        raise ValidationError({"role": "Choose owner, admin, editor or viewer."})
    check_may_grant(by, role)
    email = _normalised_email(email)
    members = Member.objects.in_workspace(by.workspace)
    if members.filter(user__email=email).exists():
        raise ValidationError({"email": "This person is already a member of the workspace."})
    waiting = Invitation.objects.in_workspace(by.workspace).pending().filter(email=email)
    if waiting.exists():
        raise ValidationError(
            {"email": "An invitation to this address is already waiting: resend it instead."}
        )
    raw = _new_token()
    now = timezone.now()
    invitation = Invitation.objects.create(
        workspace=by.workspace,
        email=email,
        role=role,
        token_hash=hash_token(raw),
        invited_by=by.user,
        sent_at=now,
        expires_at=now + VALID_FOR,
    )
    record_change(by=by, obj=invitation, action="invited", after={"email": email, "role": role})
    access_log_record(
        kind=AccessKind.INVITATION_SENT,
        actor=by.user,
        workspace=by.workspace,
        detail=f"{email} as {invitation.get_role_display().lower()}",
    )
    _send_after_commit(invitation, raw)
    return invitation, raw


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: Member) -> str:
    """A new link with a new expiry; the old link stops working."""
    require_role(by, Role.ADMIN)
    _refuse_other_workspace(invitation, by)
    _refuse_closed(invitation, "invitation")
    raw = _new_token()
    now = timezone.now()
    invitation.token_hash = hash_token(raw)
    invitation.sent_at = now
    invitation.expires_at = now + VALID_FOR
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    record_change(by=by, obj=invitation, action="resent", after={"email": invitation.email})
    access_log_record(
        kind=AccessKind.INVITATION_SENT,
        actor=by.user,
        workspace=by.workspace,
        detail=f"{invitation.email} again, with a new link",
    )
    _send_after_commit(invitation, raw)
    return raw


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: Member) -> Invitation:
    require_role(by, Role.ADMIN)
    _refuse_other_workspace(invitation, by)
    _refuse_closed(invitation, "invitation")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record_change(by=by, obj=invitation, action="revoked", after={"email": invitation.email})
    access_log_record(
        kind=AccessKind.INVITATION_REVOKED,
        actor=by.user,
        workspace=by.workspace,
        detail=invitation.email,
    )
    return invitation


def invitation_for_token(raw: str) -> Invitation | None:
    """The invitation a link points to, whatever its state; None for an unknown link."""
    if not raw or len(raw) > 100:
        return None
    return (
        Invitation.objects.select_related("workspace", "invited_by")
        .filter(token_hash=hash_token(raw))
        .first()
    )


def check_acceptable(invitation: Invitation | None) -> Invitation:
    """The invitation if it can still be accepted, else a ValidationError on `token`."""
    if invitation is None:
        raise ValidationError({"token": LINK_NOT_VALID})
    _refuse_closed(invitation, "token")
    if invitation.expired:
        raise ValidationError(
            {"token": "This invitation has expired. Ask whoever invited you to send it again."}
        )
    return invitation


@transaction.atomic
def invitation_accept(*, raw: str, user: User) -> Member:
    """The logged-in `user` accepts: they must be the person invited."""
    invitation = check_acceptable(_locked(raw))
    if user.email.lower() != invitation.email:
        raise ValidationError(
            {
                "token": f"This invitation is for {invitation.email}; you are logged in as "
                f"{user.email}. Log out and open the link again."
            }
        )
    return _join(invitation, user)


@transaction.atomic
def invitation_accept_new_account(*, raw: str, name: str, password: str) -> Member:
    """Someone without an account accepts: the account is made for the invited address."""
    invitation = check_acceptable(_locked(raw))
    if User.objects.filter(email=invitation.email).exists():
        raise ValidationError(
            {"token": f"{invitation.email} already has an account: log in to accept."}
        )
    if not name.strip():
        raise ValidationError({"name": "Enter your name, as your colleagues will see it."})
    user = user_register(email=invitation.email, password=password, name=name)
    return _join(invitation, user)


def _join(invitation: Invitation, user: User) -> Member:
    member = Member.objects.filter(workspace=invitation.workspace, user=user).first()
    if member is None:
        member = Member.objects.create(
            workspace=invitation.workspace, user=user, role=invitation.role
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record_change(
        by=member,
        obj=invitation,
        action="accepted",
        after={"email": invitation.email, "role": member.role},
    )
    access_log_record(
        kind=AccessKind.INVITATION_ACCEPTED,
        actor=user,
        workspace=invitation.workspace,
        detail=f"as {member.get_role_display().lower()}",
    )
    return member


def _locked(raw: str) -> Invitation | None:
    # Locked for the transaction: the same link clicked twice joins once.
    found = invitation_for_token(raw)
    if found is None:
        return None
    return Invitation.objects.select_for_update().select_related("workspace").get(pk=found.pk)


def _refuse_closed(invitation: Invitation, field: str) -> None:
    if invitation.accepted_at:
        raise ValidationError({field: "This invitation has already been used."})
    if invitation.revoked_at:
        raise ValidationError({field: "This invitation was withdrawn."})


def _refuse_other_workspace(invitation: Invitation, by: Member) -> None:
    if invitation.workspace_id != by.workspace_id:
        raise LookupError("Object belongs to another workspace.")


def _send_after_commit(invitation: Invitation, raw: str) -> None:
    # After the commit, so no mail announces an invitation that was rolled back; robust,
    # so a mail server that is down does not undo it (the admin can resend).
    transaction.on_commit(lambda: send_invitation(invitation, raw), robust=True)


def send_invitation(invitation: Invitation, raw: str) -> None:
    inviter = invitation.invited_by.display_name if invitation.invited_by else "Someone"
    context = {
        "invitation": invitation,
        "inviter": inviter,
        "url": invitation_url(raw),
        "role": Role(invitation.role).label.lower(),
    }
    message = EmailMultiAlternatives(
        subject=f"{inviter} invites you to {invitation.workspace.name} on Tandem",
        body=render_to_string("accounts/invitation_email.txt", context),
        to=[invitation.email],
    )
    message.attach_alternative(
        render_to_string("accounts/invitation_email.html", context), "text/html"
    )
    message.send()
