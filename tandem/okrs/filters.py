"""The objective and key-result filters, defined once for every door: the OKR pages read
them from their query string (?cycle=, ?team=, ...), the API's lists take them as query
parameters (?cycle_id=, ?team_id=, ...). A bad value is a 422 answer naming it; on a page a
malformed id is a 422 page naming the page's parameter (tandem.core.params)."""

from typing import Annotated, Any

from django.http import QueryDict
from ninja import FilterLookup, FilterSchema

from tandem.core.api_fields import Id
from tandem.core.params import page_filters
from tandem.okrs.models import GoalStatus


class ObjectiveFilters(FilterSchema):
    cycle_id: Id | None = None
    team_id: Id | None = None
    owner_id: Id | None = None
    pillar_id: Id | None = None
    parent_id: Id | None = None
    status: GoalStatus = GoalStatus.ACTIVE


# The OKR pages' query-string names for the fields. The pages show live objectives only:
# their status is not a page parameter.
OBJECTIVE_PAGE_NAMES = {
    "cycle": "cycle_id",
    "team": "team_id",
    "owner": "owner_id",
    "pillar": "pillar_id",
    "parent": "parent_id",
}


def page_objective_filters(query: QueryDict) -> ObjectiveFilters:
    """The OKR pages' filters; a malformed id is a 422 page naming its parameter."""
    return page_filters(ObjectiveFilters, query, OBJECTIVE_PAGE_NAMES)


class KeyResultFilters(FilterSchema):
    cycle_id: Annotated[Id | None, FilterLookup("objective__cycle_id")] = None
    objective_id: Id | None = None
    team_id: Annotated[Id | None, FilterLookup("objective__team_id")] = None
    owner_id: Id | None = None
    status: GoalStatus = GoalStatus.ACTIVE

    def columns(self) -> dict[str, Any]:
        """The same conditions for tandem.core.rows, whose paths follow foreign keys by
        dots ("objective.cycle_id"): the API's list reads plain rows."""
        wanted = {}
        for name, info in type(self).model_fields.items():
            value = getattr(self, name)
            if value is None:
                continue
            lookup = next((m.q for m in info.metadata if isinstance(m, FilterLookup)), name)
            assert isinstance(lookup, str), name
            wanted[lookup.replace("__", ".")] = value
        return wanted
