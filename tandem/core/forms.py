"""What every page's forms share: a service's field-named errors put on the form's fields,
and optimistic concurrency: a form carries the version it was drawn from in a hidden field,
the service refuses a stale one (tandem.core.versioning), and the page shows the form again
with the values saved meanwhile, saying what the user had typed so it can be applied again
by hand. Nothing is written."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.template.defaultfilters import pluralize

from tandem.core.versioning import StaleVersion
from tandem.domain.similar import Match


def version_field() -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1
    )


@dataclass(frozen=True)
class Stale:
    """What the page says above a form whose object changed while it was being edited."""

    message: str
    yours: list[tuple[str, str]]


def stale(form: forms.Form, error: StaleVersion, *, ignore: tuple[str, ...] = ()) -> Stale:
    """The warning for `form`, whose initial values are the ones saved now: the fields the
    user set differently are theirs, to type again if still wanted."""
    name = error.obj._meta.verbose_name
    skip = {"version", "reason", *ignore}
    yours = [
        (str(form.fields[field].label or field.replace("_", " ").capitalize()), _shown(form, field))
        for field in form.changed_data
        if field not in skip and field in form.cleaned_data
    ]
    message = (
        f"Someone else saved this {name} while you were editing it, so your changes were not "
        "saved. The form now shows what is saved."
    )
    return Stale(message=message, yours=yours)


def _shown(form: forms.Form, name: str) -> str:
    field: Any = form.fields[name]
    value = form.cleaned_data[name]
    if value is None or value == "":
        return "(empty)"
    if hasattr(field, "label_from_instance"):
        if isinstance(value, models.Model):
            return str(field.label_from_instance(value))
        return ", ".join(str(field.label_from_instance(one)) for one in value) or "(none)"
    choices = dict(getattr(field, "choices", ()) or ())
    if choices and not isinstance(value, list | tuple):
        return str(choices.get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    # In full, however long: it is what they typed and would otherwise lose.
    return str(value)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's field-named errors on the form's matching fields, the rest on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field_name, messages in error.message_dict.items():
        target: Any = field_name if field_name in form.fields else None
        for message in messages:
            form.add_error(target, message)


def warn_similar(request: HttpRequest, kind: str, matches: list[Match]) -> None:
    """A warning, not a refusal: what was just created may duplicate these."""
    if matches:
        titles = ", ".join(f"“{m.title}”" for m in matches)
        exist = "already exists" if len(matches) == 1 else "already exist"
        flash.warning(
            request,
            f"Similar {kind}{pluralize(len(matches))} {exist}: {titles}. "
            "Check this is not a duplicate.",
        )


def limit_choices(form: forms.BaseForm, name: str, queryset: Any) -> None:
    """Offer the rows of `queryset` in the form's model choice field `name` (a form is
    built per request, its choices from the workspace)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def set_choices(form: forms.BaseForm, name: str, choices: Any) -> None:
    """The choices of the form's choice field `name`, known only per request."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices
