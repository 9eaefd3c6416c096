"""Query-string and form parameters of the pages that are not form fields, parsed in one
place.

`str.isdigit()` is true for '²' and '٣', which `int()` refuses or reads as another number,
and a 30-digit id overflows SQLite; both used to answer 500. A malformed parameter is now
a 422 page naming it (`BadParameter`, answered by `tandem.web.middleware`).
"""

from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from typing import TypeVar

import pydantic
from django.core.exceptions import ValidationError
from django.http import QueryDict
from ninja import FilterSchema

from tandem.core.bounds import INT32, INT64

F = TypeVar("F", bound=FilterSchema)


class BadParameter(Exception):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


def int_param(
    query: QueryDict, name: str, *, low: int = INT32[0], high: int = INT32[1]
) -> int | None:
    """The whole number in ?name=, None when absent or empty."""
    value = query.get(name, "")
    if not value:
        return None
    digits = value.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()) or not low <= int(value) <= high:
        raise BadParameter(name, f"Use a whole number from {low} to {high}.")
    return int(value)


def id_param(query: QueryDict, name: str) -> int | None:
    """The id of an object in ?name=, None when absent or empty."""
    return int_param(query, name, low=1, high=INT64[1])


def page_filters(
    schema: type[F], query: QueryDict, names: Mapping[str, str], *, lenient: Collection[str] = ()
) -> F:
    """A list's FilterSchema (the one its API takes) read from a page's query string, whose
    parameter `page_name` fills `names[page_name]`. A bad value of a `lenient` parameter (a
    choice in a hand-edited address) is dropped, the list shown unfiltered by it; any other
    is a BadParameter naming the page's parameter, as the API's 422 names its own."""
    data = {field: query[name] for name, field in names.items() if query.get(name)}
    page_name = {field: name for name, field in names.items()}
    while True:
        try:
            return schema.model_validate(data)
        except pydantic.ValidationError as error:
            for problem in error.errors():
                field = str(problem["loc"][0]) if problem["loc"] else ""
                if page_name.get(field) not in lenient:
                    raise BadParameter(page_name.get(field, field), problem["msg"]) from None
                data.pop(field, None)


@contextmanager
def page_refusals(names: Mapping[str, str]) -> Iterator[None]:
    """A selector's refusal of a filter's value (a ValidationError naming the FilterSchema's
    field, which the API answers with a 422 naming it) as the BadParameter naming the page's
    parameter `page_name` that filled `names[page_name]`."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        page_name = {field: name for name, field in names.items()}
        field, problems = next(iter(error.error_dict.items()))
        message = " ".join(m for problem in problems for m in problem.messages)
        raise BadParameter(page_name.get(field, field), message) from None
