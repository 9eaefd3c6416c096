"""The drill's hands inside one instance: `python -m tests.drill.probe setup NAME URL` builds a
workspace for one drill and prints what the drill needs (token, ids) as JSON; `... state
NAME` prints what the database holds for it. Run with the instance's environment."""

import datetime
import json
import os
import sys


def setup(name: str, receiver: str) -> dict[str, object]:
    from tandem.accounts.models import Member, Role, User
    from tandem.accounts.services import api_token_create, member_add, user_create, workspace_create
    from tandem.activity.watching import watch_start
    from tandem.activity.webhooks import webhook_create
    from tandem.domain.calendar import quarter_of
    from tests.factories import make_cycle, make_initiative, make_key_result, make_objective

    owner = User.objects.filter(email="drill@example.com").first() or user_create(
        email="drill@example.com", password=None, name="Drill Owner"
    )
    workspace = workspace_create(name=f"Drill {name}", owner=owner, slug=f"drill-{name}")
    by = Member.objects.get(workspace=workspace, user=owner)
    watcher_user = User.objects.filter(email="watcher@example.com").first() or user_create(
        email="watcher@example.com", password=None, name="Drill Watcher"
    )
    watcher = member_add(user=watcher_user, role=Role.EDITOR, by=by)
    quarter = quarter_of(datetime.date.today())
    cycle = make_cycle(by, start=quarter.start, end=quarter.end, name=quarter.name)
    key_result = make_key_result(by, objective=make_objective(by, cycle=cycle))
    watch_start(obj=key_result, by=watcher)
    initiative = make_initiative(by)
    webhook_create(
        name="Drill receiver",
        url=receiver,
        format="slack",
        events=["low_confidence", "watched_change"],
        by=by,
    )
    _, token = api_token_create(user=owner, name=f"drill {name}")
    return {
        "token": token,
        "workspace": workspace.slug,
        "key_result": key_result.pk,
        "initiative": initiative.pk,
    }


def state(name: str) -> dict[str, object]:
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from tandem.activity.models import Notification, OutboxEntry, WebhookDelivery
    from tandem.okrs.models import CheckIn

    slug = f"drill-{name}"
    deliveries = WebhookDelivery.objects.filter(workspace__slug=slug)
    return {
        "checkins": sorted(
            CheckIn.objects.filter(workspace__slug=slug).values_list("pk", flat=True)
        ),
        "notifications": Notification.objects.filter(workspace__slug=slug).count(),
        "deliveries": {
            row["status"]: row["n"] for row in deliveries.values("status").annotate(n=Count("pk"))
        },
        "delivered": sorted(
            str(u) for u in deliveries.filter(status="delivered").values_list("uuid", flat=True)
        ),
        "outbox_left": OutboxEntry.objects.filter(workspace__slug=slug).count(),
        "tasks": {
            row["status"]: row["n"]
            for row in DBTaskResult.objects.values("status").annotate(n=Count("pk"))
        },
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    import django

    django.setup()
    command, name, *rest = sys.argv[1:]
    result = setup(name, *rest) if command == "setup" else state(name)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
