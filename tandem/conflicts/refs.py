"""The entities a conflict names, as [kind, id] pairs, mapped to their models."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models

MODELS = {
    "cycle": "okrs.Cycle",
    "objective": "okrs.Objective",
    "key_result": "okrs.KeyResult",
    "initiative": "roadmaps.Initiative",
    "team": "strategy.Team",
    "pillar": "strategy.Pillar",
}


def model_for(kind: str) -> type[models.Model]:
    return apps.get_model(MODELS[kind])


def content_type_for(kind: str) -> ContentType:
    return ContentType.objects.get_for_model(model_for(kind))


def ref_of(event_content_type_id: int, object_id: str) -> tuple[str, int] | None:
    for kind in MODELS:
        if content_type_for(kind).pk == event_content_type_id:
            return kind, int(object_id)
    return None
