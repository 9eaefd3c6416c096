"""Request and response bodies of the accounts API."""

import datetime
from typing import Literal

from ninja import Field, Schema

from tandem.accounts.models import Member
from tandem.core.versioning import VERSION

RoleName = Literal["owner", "admin", "editor", "viewer"]


class MeOut(Schema):
    id: int
    email: str
    name: str
    display_name: str


class WorkspaceOut(Schema):
    """A workspace as its member sees it; built from the caller's Member row."""

    slug: str = Field(alias="workspace.slug")
    name: str = Field(alias="workspace.name")
    created_at: datetime.datetime = Field(alias="workspace.created_at")
    role: RoleName = Field(description="The caller's role in this workspace.")


class MemberOut(Schema):
    id: int
    version: int = VERSION
    user_id: int
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
