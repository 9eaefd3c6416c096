"""Refusing loops in parent links (teams, objectives) before they are written."""

from typing import Any

from django.core.exceptions import ValidationError

from tandem.core.tenancy import TenantModel
from tandem.domain.graphs import loop_if_added


def refuse_parent_loop(obj: TenantModel, parent: Any, *, label: str = "title") -> None:
    """Raise a field-named error if making `parent` the parent of `obj` would close a loop
    (A under B under A). `obj` must already exist; a new row cannot be anyone's ancestor."""
    if parent is None or obj.pk is None or parent.pk == obj.pk:
        return  # being its own parent is the model constraint's to refuse
    model = type(obj)
    rows = model._default_manager.filter(workspace_id=obj.workspace_id).values_list(
        "id", "parent_id", label
    )
    parents = {id: [parent_id] for id, parent_id, _ in rows if parent_id is not None}
    names = {id: name for id, _, name in rows}
    loop = loop_if_added(parents, obj.pk, parent.pk)
    if loop is not None:
        path = " → ".join(f"'{names.get(pk, pk)}'" for pk in loop)
        raise ValidationError({"parent": f"This would make a loop: {path}."})
