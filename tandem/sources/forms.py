from typing import Any

from django import forms

from tandem.core.forms import version_field
from tandem.sources.models import DataSource, Every, SourceKind


class SourceForm(forms.Form):
    kind = forms.ChoiceField(choices=SourceKind.choices, label="Where the value comes from")
    url = forms.CharField(
        max_length=2000, required=False, label="Address", help_text=DataSource.url.field.help_text
    )
    path = forms.CharField(
        max_length=200,
        required=False,
        label="Path to the value",
        help_text="Keys joined by dots, [n] for a list item ([-1] the last); empty for the "
        "whole answer.",
    )
    column = forms.CharField(
        max_length=100, required=False, help_text=DataSource.column.field.help_text
    )
    database = forms.CharField(
        max_length=60, required=False, help_text=DataSource.database.field.help_text
    )
    query = forms.CharField(
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One read-only statement, run with a 10 s timeout; the first column of its "
        "first row is the value.",
    )
    every = forms.ChoiceField(
        choices=[("", "—"), *Every.choices], required=False, label="How often to pull"
    )
    version = version_field()

    def __init__(self, *args: Any, databases: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if databases:
            self.fields["database"] = forms.ChoiceField(
                choices=[("", "—"), *((name, name) for name in databases)],
                required=False,
                help_text="The databases an administrator set in TANDEM_SQL_SOURCES.",
            )
