"""The activity feed over 50,000 changes and a baseline comparison of a 2,000-initiative
plan: server time through Django's test Client, median of several requests, for the page
and the API. The goal is under 300 ms each."""

import datetime
import random
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import Member
from tandem.accounts.services import api_token_create
from tandem.activity.models import ChangeEvent
from tandem.okrs.models import KeyResult
from tandem.reviews.baselines import baseline_take
from tandem.roadmaps.models import Initiative
from tests.bench.scale import BATCH, build_plan
from tests.bench.timing import median_ms

GOAL_MS = 300
EVENTS = 50_000


def _changes(workspace, member, rng) -> None:
    """A year of edits: titles, targets and dates, spread over the plan's objects."""
    targets = [
        (
            ContentType.objects.get_for_model(model),
            list(model.objects.filter(workspace=workspace).values_list("pk", flat=True)),
        )
        for model in (KeyResult, Initiative)
    ]
    now = timezone.now()
    ChangeEvent.objects.bulk_create(
        (
            ChangeEvent(
                workspace=workspace,
                actor=member.user,
                at=now - datetime.timedelta(minutes=rng.randint(0, 525_600)),
                action="updated",
                content_type=content_type,
                object_id=str(pk),
                object_repr=f"Object {pk}",
                before={"title": f"Old {i}"},
                after={"title": f"New {i}"},
                reason="Re-planned" if i % 3 == 0 else "",
            )
            for i in range(EVENTS)
            for content_type, ids in [rng.choice(targets)]
            for pk in [rng.choice(ids)]
        ),
        batch_size=BATCH,
    )


def _drift(workspace) -> None:
    """A tenth of the key results retargeted and of the initiatives rescheduled."""
    krs = KeyResult.objects.filter(workspace=workspace)
    krs.filter(pk__in=list(krs.values_list("pk", flat=True)[::10])).update(
        target_value=Decimal(150)
    )
    dated = Initiative.objects.filter(workspace=workspace, end_date__isnull=False)
    dated.filter(pk__in=list(dated.values_list("pk", flat=True)[::10])).update(
        end_date=F("end_date") + datetime.timedelta(days=21)
    )


def _time(label: str, client: Client, url: str) -> None:
    assert client.get(url).status_code == 200, url  # warm up
    ms = median_ms(lambda: client.get(url), repeat=7)
    verdict = "ok" if ms < GOAL_MS else f"over the {GOAL_MS} ms goal"
    print(f"  {label:<34} {ms:7.1f} ms  ({verdict})", flush=True)


def run() -> None:
    print(f"Activity feed ({EVENTS:,} changes) and baseline comparison, 2,000 initiatives")
    workspace = build_plan(
        slug="feed-bench",
        teams=40,
        objectives=120,
        key_results=400,
        initiatives=2000,
        contributions=2600,
        dependencies=500,
    )
    member = Member.objects.get(workspace=workspace)
    _changes(workspace, member, random.Random(11))
    first = baseline_take(workspace=workspace, by=None, name="Kick-off")
    _drift(workspace)
    second = baseline_take(workspace=workspace, by=None, name="Mid-quarter")

    page = Client()
    page.force_login(member.user)
    _, token = api_token_create(user=member.user, name="bench")
    api = Client(headers={"Authorization": f"Bearer {token}"})
    slug = workspace.slug
    feed = reverse("activity_feed", kwargs={"workspace": slug})
    baselines = reverse("baseline_list", kwargs={"workspace": slug})
    v1 = f"/api/v1/workspaces/{slug}"
    _time("activity feed page", page, feed)
    _time("activity feed page 100", page, f"{feed}?page=100")
    _time("API activity", api, f"{v1}/activity")
    _time("API activity, offset 10,000", api, f"{v1}/activity?offset=10000")
    _time("baselines page, two compared", page, f"{baselines}?from={first.pk}&to={second.pk}")
    _time(
        "API comparison, two baselines",
        api,
        f"{v1}/baselines/{first.pk}/comparison?to_id={second.pk}",
    )
    _time("API comparison with now", api, f"{v1}/baselines/{first.pk}/comparison")
    total = api.get(f"{v1}/baselines/{first.pk}/comparison").json()["total"]
    print(f"  (the comparison lists {total:,} changes)", flush=True)
