import hashlib
import secrets
import zoneinfo
from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from tandem.core.bounds import Bounded
from tandem.core.versioning import Versioned


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        return self.create_user(email, password, is_staff=True, is_superuser=True, **extra)


class User(Bounded, AbstractBaseUser, PermissionsMixin):
    """A person who logs in by email. Workspaces are reached through Member rows."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.email.split("@")[0]


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            "Choose a time zone from the list, such as Europe/Paris.", code="invalid"
        ) from None


class Workspace(Versioned, Bounded):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="Dates, deadlines and “today” follow it, unless a member sets their own.",
    )
    cycle_weeks = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(104)],
        help_text="The length of a new cycle in weeks; empty for calendar quarters.",
    )
    new_key_result_grace_days = models.PositiveSmallIntegerField(
        default=7,
        validators=[MaxValueValidator(90)],
        help_text="Days a new key result is given before it is flagged unsupported or at risk.",
    )
    check_in_every_days = models.PositiveSmallIntegerField(
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="The check-in rhythm: a key result whose value is older is marked stale, "
        "unless it sets its own.",
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    require_two_factor = models.BooleanField(
        default=False, help_text="Members must turn on two-factor sign-in to open it."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"


ROLE_RANK = {Role.VIEWER: 0, Role.EDITOR: 1, Role.ADMIN: 2, Role.OWNER: 3}


class MemberQuerySet(models.QuerySet["Member"]):
    def in_workspace(self, workspace: Workspace) -> "MemberQuerySet":
        return self.filter(workspace=workspace)

    def of_user(self, user: User) -> "MemberQuerySet":
        return self.filter(user=user, user__is_active=True)


class Member(Versioned, Bounded):
    """A user's place in a workspace, with a role. Deny by default: no row, no access."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    joined_at = models.DateTimeField(default=timezone.now)
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="Your own time zone; empty to follow the workspace's.",
    )

    objects = MemberQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="member_once_per_workspace"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="member_role_known"
            ),
        ]
        ordering = ["user__name", "user__email"]

    def __str__(self) -> str:
        return self.user.display_name

    def has_role(self, role: str) -> bool:
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(role)]


TOKEN_PREFIX = "tdm_"


def hash_token(raw: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is enough and keeps lookups O(1).
    return hashlib.sha256(raw.encode()).hexdigest()


class TokenScope(models.TextChoices):
    READ = "read", "Read only"
    WRITE = "write", "Read and write"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def live(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(Bounded):
    """A personal token for scripts. Only its SHA-256 is stored; the raw value is shown once.

    A token may expire, may only read, and may be bound to one workspace; every other
    workspace is then as unreachable to it as to a non-member."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12, help_text="The first characters, to tell tokens apart.")
    scope = models.CharField(max_length=5, choices=TokenScope.choices, default=TokenScope.WRITE)
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, null=True, blank=True, related_name="api_tokens"
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=TokenScope.values), name="api_token_scope_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def generate() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        return "expired" if self.is_expired else "active"


class AccessKind(models.TextChoices):
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    LOCKED_OUT = "locked_out", "Locked out after failed sign-ins"
    SIGN_OUT = "sign_out", "Signed out"
    PASSWORD_CHANGED = "password_changed", "Changed password"
    PASSWORD_RESET = "password_reset", "Reset password by email"
    MFA_ENABLED = "mfa_enabled", "Turned two-factor on"
    MFA_DISABLED = "mfa_disabled", "Turned two-factor off"
    RECOVERY_CODES = "recovery_codes", "Made new recovery codes"
    MFA_REQUIRED = "mfa_required", "Changed the two-factor requirement"
    TOKEN_CREATED = "token_created", "Created an API token"
    TOKEN_REVOKED = "token_revoked", "Revoked an API token"
    INVITATION_SENT = "invitation_sent", "Invited someone"
    INVITATION_REVOKED = "invitation_revoked", "Revoked an invitation"
    INVITATION_ACCEPTED = "invitation_accepted", "Accepted an invitation"
    ROLE_CHANGED = "role_changed", "Changed a role"
    MEMBER_ADDED = "member_added", "Added a member"
    MEMBER_REMOVED = "member_removed", "Removed a member"
    USER_DEACTIVATED = "user_deactivated", "Deactivated a user"
    SSO_JOINED = "sso_joined", "Joined by single sign-on"


class AccessEventQuerySet(models.QuerySet["AccessEvent"]):
    def for_workspace(self, workspace: Workspace) -> "AccessEventQuerySet":
        """What a workspace's owners see: its own events, and the personal ones (sign-ins,
        two-factor, tokens) of the people who are its members now."""
        members = Member.objects.filter(workspace=workspace).values("user_id")
        return self.filter(
            models.Q(workspace=workspace) | models.Q(workspace__isnull=True, actor__in=members)
        )


class AccessEvent(models.Model):
    """One entry of the access log: who did what to get in, or to let others in, from where."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=24, choices=AccessKind.choices)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="access_events"
    )
    # Kept as typed: a failed sign-in may name no account, and accounts can be deleted.
    email = models.CharField(max_length=254, blank=True)
    workspace = models.ForeignKey(
        Workspace,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="access_events",
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["workspace", "-at"], name="access_event_ws_at"),
            models.Index(fields=["actor", "-at"], name="access_event_actor_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.email} · {self.at:%Y-%m-%d %H:%M}"


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def in_workspace(self, workspace: Workspace) -> "InvitationQuerySet":
        return self.filter(workspace=workspace)

    def pending(self) -> "InvitationQuerySet":
        """Neither accepted nor revoked; an expired one is still pending, to be resent."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(Bounded):
    """An invitation to join a workspace with a role, by a link mailed to `email`.

    Only the SHA-256 of the link's token is stored, like API tokens: whoever can read the
    database still cannot accept an invitation. Resending issues a new token and expiry.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="invitation_role_known"
            ),
            # One live invitation per address and workspace: resending reuses it.
            models.UniqueConstraint(
                fields=["workspace", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_pending_once",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.email}"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        return "expired" if self.expired else "pending"


class WorkspaceDeletion(models.Model):
    """What a deleted workspace held, kept after its rows (and history) are gone."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60)
    deleted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deleted_at = models.DateTimeField(default=timezone.now)
    removed = models.JSONField(default=dict, help_text="Rows removed, by table.")

    class Meta:
        ordering = ["-deleted_at"]

    def __str__(self) -> str:
        return f"Deletion of {self.name} ({self.slug})"
