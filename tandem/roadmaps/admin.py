from django.contrib import admin

from tandem.core.admin import ReadOnlyAdmin
from tandem.roadmaps.models import (
    Contribution,
    Dependency,
    Initiative,
    Insight,
    Roadmap,
    TeamCapacity,
)


@admin.register(Roadmap)
class RoadmapAdmin(ReadOnlyAdmin[Roadmap]):
    list_display = ["name", "workspace", "team"]


@admin.register(Initiative)
class InitiativeAdmin(ReadOnlyAdmin[Initiative]):
    list_display = ["title", "roadmap", "status", "horizon", "start_date", "end_date", "team"]
    list_filter = ["status", "horizon", "workspace"]
    search_fields = ["title"]


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin[Contribution]):
    list_display = ["initiative", "key_result", "expected_delta"]


@admin.register(Dependency)
class DependencyAdmin(ReadOnlyAdmin[Dependency]):
    list_display = ["initiative", "depends_on"]


@admin.register(Insight)
class InsightAdmin(ReadOnlyAdmin[Insight]):
    list_display = ["title", "kind", "customer", "importance", "status"]
    list_filter = ["kind", "status", "workspace"]
    search_fields = ["title", "customer"]


@admin.register(TeamCapacity)
class TeamCapacityAdmin(ReadOnlyAdmin[TeamCapacity]):
    list_display = ["team", "cycle", "person_weeks"]
