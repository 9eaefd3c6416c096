"""An API client per persona, authenticated the way scripts are: a Bearer API token."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from tandem.accounts.models import Member
from tandem.accounts.services import api_token_create


class Api:
    """A test client that speaks JSON with a Bearer token; `.json` is the decoded body."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def call(self, method: str, url: str, body: Any = None, headers: Any = None) -> Any:
        data = None if body is None else json.dumps(body)
        response = getattr(self.client, method)(
            url,
            data=data,
            content_type="application/json",
            headers={**self.headers, **(headers or {})},
        )
        response.json = response.json() if response.content else None
        return response

    def get(self, url: str, **params: Any) -> Any:
        response = self.client.get(url, params, headers=self.headers)
        response.json = response.json()
        return response

    def post(self, url: str, body: Any = None, headers: Any = None) -> Any:
        return self.call("post", url, body, headers)

    def put(self, url: str, body: Any = None, headers: Any = None) -> Any:
        return self.call("put", url, body, headers)

    def patch(self, url: str, body: Any = None, headers: Any = None) -> Any:
        return self.call("patch", url, body, headers)


@pytest.fixture
def api_as(db) -> Callable[[Member], Api]:
    def make(member: Member) -> Api:
        _, raw = api_token_create(user=member.user, name="tests")
        return Api(raw)

    return make


@pytest.fixture
def rows() -> Callable[[], dict[str, int]]:
    """rows() -> the row count of every Tandem table: compare before and after a refusal."""

    def count() -> dict[str, int]:
        return {
            model._meta.label: model._default_manager.count()
            for model in apps.get_models(include_auto_created=True)
            if model.__module__.startswith("tandem.")
        }

    return count
