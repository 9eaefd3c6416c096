"""The one access path to tenant data: every domain row belongs to a Workspace.

Views and API handlers never query a tenant model without `in_workspace()`; a row of
another workspace is therefore simply not found (404), never forbidden (403).
"""

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404

M = TypeVar("M", bound=models.Model)


class TenantQuerySet(models.QuerySet[M]):
    def in_workspace(self, workspace: Any) -> "TenantQuerySet[M]":
        return self.filter(workspace=workspace)


class TenantModel(models.Model):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        self._refuse_links_to_other_workspaces()

    def _refuse_links_to_other_workspaces(self) -> None:
        errors = {}
        for field in self._meta.concrete_fields:
            if not field.is_relation or field.name == "workspace":
                continue
            related_model = field.related_model
            if not (isinstance(related_model, type) and issubclass(related_model, TenantModel)):
                continue
            if getattr(self, field.attname) is None:
                continue
            related = getattr(self, field.name)
            if related.workspace_id != self.workspace_id:
                errors[field.name] = "must belong to this workspace."
        if errors:
            raise ValidationError(errors)


def get_in_workspace_or_404(queryset: models.QuerySet[M], workspace: Any, **lookup: Any) -> M:
    try:
        return queryset.filter(workspace=workspace).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404(f"No {queryset.model._meta.verbose_name} here.") from None
