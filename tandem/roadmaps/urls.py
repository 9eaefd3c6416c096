"""Roadmap pages, included under w/<slug:workspace>/roadmap/."""

from django.urls import path

from tandem.roadmaps.views import board, initiative, plan

ONE = "initiatives/<int:initiative_id>/"

urlpatterns = [
    path("", board.roadmap_board, name="roadmap_board"),
    path("export/", board.initiative_export, name="initiative_export"),
    path("timeline/", plan.roadmap_timeline, name="roadmap_timeline"),
    path("priorities/", plan.roadmap_priorities, name="roadmap_priorities"),
    path("capacity/", plan.roadmap_capacity, name="roadmap_capacity"),
    path("capacity/set/", plan.team_capacity_set, name="team_capacity_set"),
    path("insights/", plan.insight_inbox, name="insight_inbox"),
    path("insights/<int:insight_id>/triage/", plan.insight_triage, name="insight_triage"),
    path("new/", initiative.roadmap_create, name="roadmap_create"),
    path("initiatives/new/", initiative.initiative_create, name="initiative_create"),
    path(ONE, initiative.initiative_detail, name="initiative_detail"),
    path(f"{ONE}move/", board.initiative_move, name="initiative_move"),
    path(f"{ONE}contributions/", initiative.contribution_create, name="contribution_create"),
    path(
        f"{ONE}contributions/<int:contribution_id>/delete/",
        initiative.contribution_delete,
        name="contribution_delete",
    ),
    path(f"{ONE}dependencies/", initiative.dependency_create, name="dependency_create"),
    path(
        f"{ONE}dependencies/<int:dependency_id>/delete/",
        initiative.dependency_delete,
        name="dependency_delete",
    ),
]
