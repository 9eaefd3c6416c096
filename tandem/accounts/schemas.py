"""Request and response bodies of the accounts API."""

import datetime
import zoneinfo
from typing import TYPE_CHECKING, Annotated, Literal

from ninja import Field, Schema
from pydantic import WithJsonSchema

from tandem.accounts.models import AccessEvent, ApiToken, Invitation, Member, Workspace
from tandem.core.api import Id
from tandem.core.api_fields import OMITTED, text
from tandem.core.versioning import VERSION

RoleName = Literal["owner", "admin", "editor", "viewer"]
WorkspaceName = Annotated[str, text(Workspace, "name")]
Slug = Annotated[str, text(Workspace, "slug", blank=True)]
# A slug given in a change must be a slug: only a new workspace derives one from its name.
NewSlug = Annotated[str, text(Workspace, "slug", blank=False)]
# The addresses Django's EmailValidator takes, in the part a JSON Schema can say.
Email = Annotated[
    str,
    WithJsonSchema(
        {
            "type": "string",
            "maxLength": 254,
            "pattern": (
                r"^[A-Za-z0-9_%+-]+(\.[A-Za-z0-9_%+-]+)*"
                r"@([A-Za-z0-9]{1,63}\.)+[A-Za-z]{2,63}$"
            ),
        }
    ),
]
if TYPE_CHECKING:
    TimeZone = str
else:
    # The zones of this Python's tz database, as the OpenAPI document lists them.
    TimeZone = Literal[tuple(sorted(zoneinfo.available_timezones()))]
TokenName = Annotated[str, text(ApiToken, "name")]


class MeOut(Schema):
    id: int
    email: str
    name: str
    display_name: str


class WorkspaceIn(Schema):
    name: WorkspaceName
    slug: Slug = Field("", description="Empty: derived from the name.")


class WorkspacePatch(Schema):
    name: WorkspaceName = OMITTED
    slug: NewSlug = OMITTED
    time_zone: TimeZone = Field(OMITTED, description="An IANA zone, e.g. Europe/Paris.")
    cycle_weeks: int | None = Field(
        None, ge=1, le=104, description="Weeks per new cycle; null for calendar quarters."
    )
    new_key_result_grace_days: int = Field(
        OMITTED,
        ge=0,
        le=90,
        description="Days a new key result is given before it is flagged unsupported or at risk.",
    )
    check_in_every_days: int = Field(
        OMITTED,
        ge=1,
        le=90,
        description="The check-in rhythm in days: a key result whose value is older is "
        "marked stale, unless it sets its own.",
    )


class WorkspaceSettingsOut(Schema):
    version: int = VERSION
    slug: str
    name: str
    created_at: datetime.datetime
    time_zone: str
    cycle_weeks: int | None
    new_key_result_grace_days: int
    check_in_every_days: int
    archived_at: datetime.datetime | None


class InvitationIn(Schema):
    email: Email = Field(max_length=254)
    role: RoleName = "viewer"


class InvitationOut(Schema):
    id: int
    email: str
    role: RoleName
    state: Literal["pending", "expired", "accepted", "revoked"]
    invited_by: str | None
    created_at: datetime.datetime
    sent_at: datetime.datetime
    expires_at: datetime.datetime

    @staticmethod
    def resolve_invited_by(obj: Invitation) -> str | None:
        return obj.invited_by.email if obj.invited_by else None


class WorkspaceOut(Schema):
    """A workspace as its member sees it; built from the caller's Member row."""

    version: int = Field(alias="workspace.version", description=VERSION.description)
    slug: str = Field(alias="workspace.slug")
    name: str = Field(alias="workspace.name")
    created_at: datetime.datetime = Field(alias="workspace.created_at")
    role: RoleName = Field(description="The caller's role in this workspace.")


class MemberOut(Schema):
    id: int
    version: int = VERSION
    user_id: Id
    email: str = Field(alias="user.email")
    name: str
    role: RoleName
    joined_at: datetime.datetime

    @staticmethod
    def resolve_name(obj: Member) -> str:
        return obj.user.display_name


class MemberIn(Schema):
    email: str = Field(description="The email address of an existing Tandem user.")
    role: RoleName = "viewer"


class MemberPatch(Schema):
    role: RoleName


TokenScopeName = Literal["read", "write"]


class TokenOut(Schema):
    id: int
    name: str
    hint: str = Field(description="The first characters of the token, to tell tokens apart.")
    scope: TokenScopeName
    workspace: str | None = Field(description="The slug of the one workspace it may reach.")
    expires_at: datetime.datetime | None
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    state: Literal["active", "expired", "revoked"]

    @staticmethod
    def resolve_workspace(obj: ApiToken) -> str | None:
        return obj.workspace.slug if obj.workspace else None


class TokenCreated(TokenOut):
    token: str = Field(description="The token itself. Shown this once: Tandem keeps a hash.")


class TokenIn(Schema):
    name: TokenName
    scope: TokenScopeName = "read"
    workspace: str | None = Field(None, description="A workspace slug: the only one it reaches.")
    expires_at: datetime.datetime | None = Field(
        None, description="When it stops working; in the future, at most a year ahead."
    )


class AccessEventOut(Schema):
    id: int
    at: datetime.datetime
    kind: str
    description: str
    actor_id: Id | None
    email: str = Field(
        description="The address of who acted, or the one typed at a failed sign-in."
    )
    ip: str | None
    detail: str

    @staticmethod
    def resolve_description(obj: AccessEvent) -> str:
        return obj.get_kind_display()
