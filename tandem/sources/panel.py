"""The data source card on the key result page: the source, its last runs, the curl line
and the form (the one posted, with its errors, or one filled from the source)."""

from typing import Any

from django.http import HttpRequest

from tandem.okrs.models import KeyResult
from tandem.sources import selectors
from tandem.sources.forms import SourceForm

FIELDS = ("kind", "url", "path", "column", "database", "query", "every", "version")


def source_context(
    request: HttpRequest, key_result: KeyResult, *, secret: str = "", form: Any = None
) -> dict[str, Any]:
    panel = selectors.panel(request, key_result, secret=secret)
    source = panel["source"]
    if form is None:
        initial: dict[str, Any] = {"kind": "push", "every": "daily"}
        if source is not None:
            initial = {name: getattr(source, name) for name in FIELDS}
        form = SourceForm(initial=initial, databases=panel["sql_databases"])
    panel["source_form"] = form
    return panel
