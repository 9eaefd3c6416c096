"""Query-string and form parameters of the pages that are not form fields, parsed in one
place.

`str.isdigit()` is true for '²' and '٣', which `int()` refuses or reads as another number,
and a 30-digit id overflows SQLite; both used to answer 500. A malformed parameter is now
a 422 page naming it (`BadParameter`, answered by `tandem.web.middleware`).
"""

from django.http import QueryDict

from tandem.core.bounds import INT32, INT64


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
