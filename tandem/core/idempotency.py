"""Idempotency-Key on every API POST: a retried request creates nothing twice.

The first request with a key claims it (a row committed at once, unique per caller and
key), then does its work and stores its answer in one transaction, so the object and the
stored answer exist together or not at all. A repeat with the same key and body gets the
stored answer back (`Idempotent-Replayed: true`); the same key with another body is a 422;
a repeat while the first still runs is a 409. Failed requests (any non-2xx) are rolled
back entirely and release their key, so the client can retry them.

Keys live in the database, shared by every app server, for 24 hours; each claim purges
the expired ones (no separate job needed). A claim whose request died (a killed worker)
is taken over after LEASE; its work was never committed, since work and answer commit
together, and the dead request can no longer settle it.
"""

import datetime
import hashlib
import json
import re
import secrets
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import HttpError

from tandem.core.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
MAX_LENGTH = 255
TTL = datetime.timedelta(hours=24)
# Longer than a request may run (`tandem serve` kills a worker after 60 s).
LEASE = datetime.timedelta(minutes=2)
_PRINTABLE = re.compile(r"[\x20-\x7e]+")
_KEPT_HEADERS = ("Content-Type", "ETag")
_CLAIM = "_tandem_idempotency_claim"

IN_FLIGHT = "A request with this Idempotency-Key is still being processed; retry shortly."


class _Claim:
    """A key this request holds: its work runs in `atomic`, settled with the answer."""

    def __init__(self, row: IdempotencyKey, lease: str) -> None:
        self.row = row
        self.lease = lease
        self.atomic = transaction.atomic()

    def _mine(self) -> Any:
        return IdempotencyKey.objects.filter(pk=self.row.pk, lease=self.lease)

    def settle(self, response: HttpResponse) -> HttpResponse:
        """Commit the work with its answer, or roll both back and release the key."""
        if not 200 <= response.status_code < 300:
            self.abandon(None)
            return response
        headers = {name: response[name] for name in _KEPT_HEADERS if name in response}
        try:
            kept = self._mine().update(
                status=response.status_code,
                body=response.content.decode(),
                headers=headers,
                lease="",
            )
            if not kept:
                # Taken over after LEASE by a retry: that one answers, this one must not.
                transaction.set_rollback(True)
        except BaseException:
            self.atomic.__exit__(*sys.exc_info())
            raise
        self.atomic.__exit__(None, None, None)
        if not kept:
            return HttpResponse(
                json.dumps({"detail": IN_FLIGHT}), status=409, content_type="application/json"
            )
        return response

    def abandon(self, exc_info: Any) -> None:
        if exc_info is None:
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        else:
            self.atomic.__exit__(*exc_info)
        self._mine().delete()


def _valid_key(value: str) -> str:
    key = value.strip()
    if not key or len(key) > MAX_LENGTH or not _PRINTABLE.fullmatch(key):
        raise ValidationError(
            {HEADER: f"Send 1 to {MAX_LENGTH} printable ASCII characters, e.g. a UUID."}
        )
    return key


def _fingerprint(request: HttpRequest) -> str:
    """The same request whatever the JSON's spacing or key order."""
    body: Any = request.body
    try:
        body = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"))
    except ValueError:
        body = body.hex()
    text = f"{request.method} {request.get_full_path()}\n{body}"
    return hashlib.sha256(text.encode()).hexdigest()


def _replay(row: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(row.body, status=row.status)
    for name, value in row.headers.items():
        response[name] = value
    response[REPLAYED] = "true"
    return response


def _claim(*, user: Any, key: str, fingerprint: str) -> _Claim | HttpResponse:
    now = timezone.now()
    IdempotencyKey.objects.filter(created__lt=now - TTL).delete()
    lease = secrets.token_hex(16)
    # Twice: a first request that failed releases its key, which a repeat may then take.
    for _ in range(2):
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    user=user, key=key, fingerprint=fingerprint, lease=lease, created=now
                )
            return _Claim(row, lease)
        except IntegrityError:
            found = IdempotencyKey.objects.filter(user=user, key=key).first()
        if found is not None:
            return _held(found, fingerprint=fingerprint, lease=lease, now=now)
    raise HttpError(409, IN_FLIGHT)


def _held(
    found: IdempotencyKey, *, fingerprint: str, lease: str, now: Any
) -> _Claim | HttpResponse:
    """The key is taken: replay its answer, or say why not."""
    if found.fingerprint != fingerprint:
        raise ValidationError(
            {HEADER: "This key was used for another request (another body or address)."}
        )
    if found.status is not None:
        return _replay(found)
    abandoned = found.created < now - LEASE
    taken = abandoned and IdempotencyKey.objects.filter(pk=found.pk, lease=found.lease).update(
        lease=lease, created=now
    )
    if not taken:
        raise HttpError(409, IN_FLIGHT)
    return _Claim(found, lease)


def claimed(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Runs after authentication and parsing: claim the key, or answer from it."""

    @wraps(handler)
    def run(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        value = request.headers.get(HEADER)
        if request.method != "POST" or value is None:
            return handler(request, *args, **kwargs)
        claim = _claim(
            user=request.auth,  # type: ignore[attr-defined]  # set by ninja's authentication
            key=_valid_key(value),
            fingerprint=_fingerprint(request),
        )
        if isinstance(claim, HttpResponse):
            return claim
        claim.atomic.__enter__()
        setattr(request, _CLAIM, claim)
        return handler(request, *args, **kwargs)

    return run


def settled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wraps the whole operation: once the answer is rendered, settle a claimed key."""

    @wraps(view)
    def run(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            claim = request.__dict__.pop(_CLAIM, None)
            if claim is not None:
                claim.abandon(sys.exc_info())
            raise
        claim = request.__dict__.pop(_CLAIM, None)
        return response if claim is None else claim.settle(response)

    return run


def install(api: NinjaAPI) -> None:
    api.add_decorator(settled, mode="view")
    api.add_decorator(claimed, mode="operation")
