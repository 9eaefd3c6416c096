"""Reads of data sources for pages, the API and other areas (overview, review agendas)."""

import shlex
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import Workspace
from tandem.okrs.models import KeyResult
from tandem.sources.models import DataSource, SourceRun

RUNS_SHOWN = 10


def source_of(key_result: KeyResult) -> DataSource | None:
    return (
        DataSource.objects.in_workspace(key_result.workspace_id)
        .filter(key_result=key_result)
        .first()
    )


def push_url(request: HttpRequest | None, source: DataSource) -> str:
    path = reverse("source_push", kwargs={"push_id": source.push_id})
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.TANDEM_BASE_URL.rstrip("/") + path


def curl_line(url: str, secret: str) -> str:
    token = secret or "YOUR_SECRET"
    return (
        f"curl -X POST {shlex.quote(url)} -H {shlex.quote('Authorization: Bearer ' + token)} "
        f"-H 'Content-Type: application/json' -d '{{\"value\": 42}}'"
    )


def as_api(request: HttpRequest, source: DataSource, *, secret: str = "") -> dict[str, Any]:
    fields = ("kind", "url", "path", "column", "database", "query", "every", "version")
    return {
        **{name: getattr(source, name) for name in fields},
        "key_result_id": source.key_result_id,
        "push_url": push_url(request, source) if source.is_push else None,
        "secret": secret or None,
        "next_run_at": source.next_run_at,
        "last_run_at": source.last_run_at,
        "last_value": source.last_value,
        "last_error": source.last_error,
        "failing_since": source.failing_since,
        "failing": source.failing_long(),
    }


def panel(request: HttpRequest, key_result: KeyResult, **extra: Any) -> dict[str, Any]:
    """What the key result page shows of its source (two queries)."""
    source = source_of(key_result)
    runs = list(SourceRun.objects.filter(source=source)[:RUNS_SHOWN]) if source else []
    url = push_url(request, source) if source and source.is_push else ""
    secret = extra.get("secret", "")
    return {
        "source": source,
        "source_runs": runs,
        "push_url": url,
        "curl": curl_line(url, secret) if url else "",
        "failing": source is not None and source.failing_long(),
        "sql_databases": sorted(settings.TANDEM_SQL_SOURCES),
        **extra,
    }


def failing_sources(workspace: Workspace) -> list[DataSource]:
    """Sources failing for more than a day, on live key results: the overview and review
    agendas list them."""
    return list(
        DataSource.objects.in_workspace(workspace)
        .failing(timezone.now())
        .select_related("key_result")
        .order_by("failing_since")
    )
