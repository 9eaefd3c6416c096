"""Writes to data sources, and what a source's value does: a run on record, and a check-in
through the OKR service (confidence unknown, marked with its source)."""

import datetime
import decimal
import hashlib
import hmac
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.accounts.access import require_role
from tandem.accounts.models import Member, Role
from tandem.accounts.zones import local_today
from tandem.activity.services import record_change, tracked_create, tracked_delete, tracked_update
from tandem.core import egress
from tandem.core.schedule import here
from tandem.domain.readings import number, parse_path
from tandem.okrs.models import CheckIn, CycleState, GoalStatus, KeyResult
from tandem.okrs.services import key_result_check_in
from tandem.sources import fetching
from tandem.sources.models import (
    INTERVALS,
    PULL_KINDS,
    DataSource,
    Every,
    SourceKind,
    SourceRun,
)

logger = logging.getLogger("tandem.sources")

# The fields each kind uses; the others are cleared when the kind changes.
FIELDS = {
    SourceKind.PUSH: (),
    SourceKind.JSON: ("url", "path", "every"),
    SourceKind.CSV: ("url", "column", "every"),
    SourceKind.SQL: ("database", "query", "every"),
}
CONFIG = ("kind", "url", "path", "column", "database", "query", "every")
# A scheduler look pulls at most this many sources, so one look stays short; the rest wait
# for the next look a minute later.
PULLS_PER_LOOK = 50


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _check_config(kind: str, config: dict[str, str]) -> None:
    """What the constraints cannot say: the address may be reached, the path parses, the
    database is configured. Field-named errors; nothing is written."""
    errors: dict[str, str] = {}
    if kind in (SourceKind.JSON, SourceKind.CSV) and config["url"]:
        try:
            egress.check(config["url"])
        except egress.EgressRefused as error:
            errors["url"] = (
                f"Tandem may not fetch this address ({error.category.removeprefix('refused: ')})"
                "; an administrator can allow an internal host with TANDEM_EGRESS_ALLOW."
            )
    if kind == SourceKind.JSON:
        try:
            parse_path(config["path"])
        except ValueError as error:
            errors["path"] = str(error)
    if kind == SourceKind.SQL and config["database"]:
        known = sorted(settings.TANDEM_SQL_SOURCES)
        if config["database"] not in known:
            errors["database"] = (
                f"No database named {config['database']!r}: "
                + (f"choose one of {', '.join(known)}." if known else "none is configured.")
                + " An administrator sets them in TANDEM_SQL_SOURCES."
            )
    if errors:
        raise ValidationError(errors)


def _refuse_closed(key_result: KeyResult) -> None:
    if key_result.objective.cycle.state == CycleState.CLOSED:
        raise ValidationError({"key_result": "Its cycle is closed: it takes no more values."})
    if key_result.status != GoalStatus.ACTIVE:
        raise ValidationError({"key_result": "This key result is archived."})


@transaction.atomic
def source_set(
    *,
    key_result: KeyResult,
    by: Member,
    kind: str,
    url: str = "",
    path: str = "",
    column: str = "",
    database: str = "",
    query: str = "",
    every: str = "",
    reason: str = "",
    expected_version: int | None = None,
) -> tuple[DataSource, str]:
    """Set (or change) where a key result's value comes from. Returns the source and, when
    it is a new push source, its secret: shown once, only its hash is kept. A pull source
    runs at the scheduler's next look (within a minute)."""
    require_role(by, Role.EDITOR)  # before looking up any address a caller names
    if kind not in SourceKind.values:
        raise ValidationError({"kind": "Choose push, json, csv or sql."})
    _refuse_closed(key_result)
    given = {"url": url, "path": path, "column": column, "database": database}
    config = {name: value.strip() for name, value in given.items()}
    config |= {"query": query.strip(), "every": every}
    config = {name: (config[name] if name in FIELDS[SourceKind(kind)] else "") for name in config}
    if kind != SourceKind.PUSH and not config["every"]:
        config["every"] = Every.DAILY
    _check_config(kind, config)
    existing = DataSource.objects.filter(key_result=key_result).first()
    now = timezone.now()
    pull = kind in PULL_KINDS
    if existing is None:
        source = tracked_create(
            DataSource,
            by=by,
            role=Role.EDITOR,
            reason=reason,
            key_result=key_result,
            kind=kind,
            created_by=by,
            next_run_at=now if pull else None,
            **config,
        )
    else:
        changed = [n for n, v in {"kind": kind, **config}.items() if getattr(existing, n) != v]
        source = tracked_update(
            existing,
            by=by,
            role=Role.EDITOR,
            changes={"kind": kind, **config},
            reason=reason,
            expected_version=expected_version,
        )
        if changed:
            # New settings, a fresh start: their first run soon, the old failure forgotten,
            # and the values become check-ins of whoever set them.
            DataSource.objects.filter(pk=source.pk).update(
                next_run_at=now if pull else None, failing_since=None, last_error="", created_by=by
            )
            source.refresh_from_db()
    secret = ""
    if kind == SourceKind.PUSH and not source.secret_hash:
        secret = _new_secret(source, by=by, action="secret_set")
    elif kind != SourceKind.PUSH and source.secret_hash:
        DataSource.objects.filter(pk=source.pk).update(push_id="", secret_hash="")
        source.refresh_from_db()
    return source, secret


def _new_secret(source: DataSource, *, by: Member, action: str) -> str:
    secret = "tsp_" + secrets.token_urlsafe(32)
    push_id = source.push_id or secrets.token_urlsafe(18)
    DataSource.objects.filter(pk=source.pk).update(push_id=push_id, secret_hash=_hash(secret))
    source.refresh_from_db()
    record_change(by=by, obj=source, action=action)
    return secret


@transaction.atomic
def source_rotate_secret(*, source: DataSource, by: Member) -> str:
    """A new push secret; the old one stops working at once."""
    require_role(by, Role.EDITOR)
    if not source.is_push:
        raise ValidationError({"kind": "Only a push source has a secret."})
    return _new_secret(source, by=by, action="secret_rotated")


def source_delete(*, source: DataSource, by: Member, reason: str = "") -> None:
    tracked_delete(source, by=by, role=Role.EDITOR, reason=reason)


def source_find_push(push_id: str, secret: str) -> DataSource | None:
    """The push source this URL and secret open, or None (wrong or unknown: the caller
    cannot tell which). Compared in constant time."""
    source = (
        DataSource.objects.select_related(
            "key_result__objective__cycle", "created_by__user", "workspace"
        )
        .filter(push_id=push_id, kind=SourceKind.PUSH)
        .exclude(push_id="")
        .first()
    )
    expected = source.secret_hash if source else _hash("no such source")
    if not hmac.compare_digest(expected, _hash(secret)) or source is None:
        return None
    return source


def source_push(*, source: DataSource, raw: str) -> SourceRun:
    """A value a script pushed. ValidationError (naming `value`) when it is not a number
    the key result takes; then nothing is written."""
    try:
        value = number(raw, "The value")  # bounded as a key result holds it
    except ValueError as error:
        raise ValidationError({"value": f"{error} Send a number, e.g. 42 or 12.5."}) from None
    with transaction.atomic():
        run = _record(source, trigger="push", value=value, error="")
        if run.error:
            # A pushed value the key result refuses is the caller's mistake: say so, write nothing.
            transaction.set_rollback(True)
            raise ValidationError({"value": run.error})
    return run


def source_run(
    *, source: DataSource, trigger: str = "manual", by: Member | None = None
) -> SourceRun:
    """Read a pull source now and record the run (its value, or why there is none)."""
    if by is not None:
        require_role(by, Role.EDITOR)
    if source.kind not in PULL_KINDS:
        raise ValidationError({"kind": "A push source is run by the script that pushes to it."})
    _refuse_closed(source.key_result)
    try:
        value = fetching.read(source)
    except fetching.ReadFailed as failure:
        return _record(source, trigger=trigger, value=None, error=str(failure))
    return _record(source, trigger=trigger, value=value, error="")


@transaction.atomic
def _record(
    source: DataSource, *, trigger: str, value: decimal.Decimal | None, error: str
) -> SourceRun:
    """A run on record. A value read becomes a check-in unless the key result's latest
    reading is that same value today (an hourly source does not fill the history with one
    number); a value the key result refuses is an error of the run."""
    now = timezone.now()
    check_in = None
    if value is not None:
        try:
            check_in = _check_in(source, value)
        except ValidationError as refused:
            error = "The key result refused the value: " + "; ".join(refused.messages)
    run = SourceRun.objects.create(
        workspace_id=source.workspace_id,
        source=source,
        at=now,
        trigger=trigger,
        value=value,
        error=error[:500],
        check_in=check_in,
    )
    changes: dict[str, object] = {"last_run_at": now, "last_error": error[:500]}
    if error:
        changes["failing_since"] = source.failing_since or now
    else:
        changes |= {"failing_since": None, "last_value": value}
    DataSource.objects.filter(pk=source.pk).update(**changes)
    for name, changed in changes.items():
        setattr(source, name, changed)
    return run


def _check_in(source: DataSource, value: decimal.Decimal) -> CheckIn | None:
    key_result = source.key_result
    by = source.created_by
    if by is None or not by.has_role(Role.EDITOR):
        raise ValidationError(
            "whoever set this source up can no longer check in; an editor should set it again"
        )
    today = local_today(key_result.workspace)
    latest = CheckIn.objects.filter(key_result=key_result).latest_first().first()
    if latest is not None and latest.value == value and latest.date == today:
        return None
    return key_result_check_in(
        key_result=key_result, value=value, confidence=None, date=today, by=by, source=source.kind
    )


def sources_pull_due(*, now: datetime.datetime | None = None) -> int:
    """Run the pull sources that are due, each claimed first (its next run moved on with a
    conditional UPDATE), so two workers never pull the same source for the same slot."""
    now = now or timezone.now()
    due = list(
        DataSource.objects.due(now)
        .select_related("key_result__objective__cycle", "key_result__workspace", "created_by")
        .order_by("next_run_at")[:PULLS_PER_LOOK]
    )
    ran = 0
    for source in due:
        next_run = now + INTERVALS[Every(source.every)]
        claimed = DataSource.objects.filter(pk=source.pk, next_run_at=source.next_run_at).update(
            next_run_at=next_run
        )
        if not claimed:
            continue
        source.next_run_at = next_run
        source_run(source=source, trigger="schedule")
        ran += 1
    if ran:
        logger.info("%s pulled %d data sources", here(), ran)
    return ran
