"""What the search index holds, and keeping it in step with the plan.

Each kind of object the search covers has a `Source`: its model and how an object reads as
a search entry. The outbox calls `index_changes` once per committed transaction with its
ChangeEvents, so an entry is rewritten right after the write that changed its object, by
whichever door (page, API, CLI, plan file) made it. `reindex` rebuilds a workspace's entries
from scratch (`tandem search reindex`, and the migration that adds the index)."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps as global_apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from tandem.activity.models import ChangeEvent
from tandem.domain.conflicts import RULE_LABELS
from tandem.search.models import SearchEntry

TITLE_MAX = 300


@dataclass(frozen=True)
class Source:
    kind: str
    model: str  # app_label.ModelName
    related: tuple[str, ...]
    # object -> (title, body, context, parent_id)
    read: Callable[[Any], tuple[str, str, str, int | None]]
    prefetch: tuple[str, ...] = ()
    # The object's own fields its entry reads, when known: a change to none of them (a
    # check-in moving a key result's value) leaves the entry as it is.
    reads: frozenset[str] | None = None


def _objective(o: Any) -> tuple[str, str, str, int | None]:
    status = "" if o.status == "active" else f" · {o.status}"
    return o.title, o.description, f"{o.cycle.name}{status}", None


def _key_result(kr: Any) -> tuple[str, str, str, int | None]:
    status = "" if kr.status == "active" else f" · {kr.status}"
    return kr.title, kr.grade_comment, f"{kr.objective.title}{status}", None


def _initiative(i: Any) -> tuple[str, str, str, int | None]:
    return i.title, i.description, f"{i.horizon.title()} · {i.status.replace('_', ' ')}", None


def _insight(i: Any) -> tuple[str, str, str, int | None]:
    body = " ".join(part for part in (i.text, i.source, i.customer) if part)
    context = i.kind.replace("_", " ").capitalize()
    return i.title, body, f"{context} · {i.customer}" if i.customer else context, None


def _conflict(c: Any) -> tuple[str, str, str, int | None]:
    rule = RULE_LABELS.get(c.rule, c.rule)
    body = " ".join(part for part in (rule, c.closed_note, c.decision_note) if part)
    return c.sentence, body, f"{rule} · {c.severity} · {c.status}", None


def _member(m: Any) -> tuple[str, str, str, int | None]:
    teams = sorted(m.teams.all(), key=lambda t: t.name)
    body = " ".join([m.user.email, *(t.name for t in teams)])
    team = teams[0] if teams else None
    context = m.role.capitalize() + (f" · {team.name}" if team else "")
    return m.user.name or m.user.email, body, context, team.pk if team else None


def _named(o: Any) -> tuple[str, str, str, int | None]:
    return o.name, o.description if hasattr(o, "description") else "", "", None


SOURCES = (
    Source("objective", "okrs.Objective", ("cycle",), _objective),
    Source(
        "key_result",
        "okrs.KeyResult",
        ("objective",),
        _key_result,
        reads=frozenset({"title", "grade_comment", "status", "objective"}),
    ),
    Source("initiative", "roadmaps.Initiative", (), _initiative),
    Source("insight", "roadmaps.Insight", (), _insight),
    Source("conflict", "conflicts.Conflict", (), _conflict),
    Source("person", "accounts.Member", ("user",), _member, prefetch=("teams",)),
    Source("pillar", "strategy.Pillar", (), _named),
    Source("team", "strategy.Team", (), _named),
)
BY_MODEL = {source.model.lower(): source for source in SOURCES}


def _label(content_type_id: int) -> str:
    content_type = ContentType.objects.get_for_id(content_type_id)
    return f"{content_type.app_label}.{content_type.model}"


# A workspace's own events (created with its owner) re-read its people.
WORKSPACE = "accounts.workspace"


def is_indexed(event: ChangeEvent) -> bool:
    label = _label(event.content_type_id)
    if label == WORKSPACE:
        return True
    source = BY_MODEL.get(label)
    if source is None:
        return False
    changed = {*event.before, *event.after}
    return source.reads is None or not changed or bool(changed & source.reads)


def _entries(source: Source, objects: Iterable[Any], entry_model: Any) -> list[Any]:
    entries = []
    for obj in objects:
        title, body, context, parent_id = source.read(obj)
        entries.append(
            entry_model(
                workspace_id=obj.workspace_id,
                kind=source.kind,
                object_id=obj.pk,
                title=title[:TITLE_MAX],
                body=body,
                context=context[:TITLE_MAX],
                parent_id=parent_id,
            )
        )
    return entries


def _objects(source: Source, registry: Any, workspace_id: int) -> Any:
    model = registry.get_model(source.model)
    queryset = model._base_manager.filter(workspace_id=workspace_id)
    if source.related:
        queryset = queryset.select_related(*source.related)
    if source.prefetch:
        queryset = queryset.prefetch_related(*source.prefetch)
    return queryset


def index_changes(*, workspace_id: int, event_ids: list[int]) -> None:
    """Rewrite the entries of the objects these events changed (deleted ones go)."""
    changed: dict[str, set[int]] = defaultdict(set)
    for content_type_id, object_id in ChangeEvent.objects.filter(pk__in=event_ids).values_list(
        "content_type_id", "object_id"
    ):
        label = _label(content_type_id)
        if label == WORKSPACE:
            members = global_apps.get_model("accounts.Member")._base_manager
            changed["person"] |= set(
                members.filter(workspace_id=workspace_id).values_list("pk", flat=True)
            )
        source = BY_MODEL.get(label)
        if source is not None and object_id.isdigit():
            changed[source.kind].add(int(object_id))
    sources = {source.kind: source for source in SOURCES}
    with transaction.atomic():
        for kind, ids in changed.items():
            source = sources[kind]
            objects = _objects(source, global_apps, workspace_id).filter(pk__in=ids)
            SearchEntry.objects.filter(
                workspace_id=workspace_id, kind=kind, object_id__in=ids
            ).delete()
            SearchEntry.objects.bulk_create(_entries(source, objects, SearchEntry), batch_size=500)


def reindex(*, workspace_id: int, registry: Any = global_apps) -> int:
    """Rebuild a workspace's whole index; returns the number of entries."""
    entry_model = registry.get_model("search.SearchEntry")
    with transaction.atomic():
        entry_model._base_manager.filter(workspace_id=workspace_id).delete()
        total = 0
        for source in SOURCES:
            objects = _objects(source, registry, workspace_id).iterator(chunk_size=2000)
            total += len(
                entry_model._base_manager.bulk_create(
                    _entries(source, objects, entry_model), batch_size=500
                )
            )
    return total
