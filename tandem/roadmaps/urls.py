"""Roadmap pages, included under w/<slug:workspace>/roadmap/."""

from django.urls import path

from tandem.roadmaps import views, views_initiative, views_plan

ONE = "initiatives/<int:initiative_id>/"

urlpatterns = [
    path("", views.roadmap_board, name="roadmap_board"),
    path("timeline/", views_plan.roadmap_timeline, name="roadmap_timeline"),
    path("priorities/", views_plan.roadmap_priorities, name="roadmap_priorities"),
    path("capacity/", views_plan.roadmap_capacity, name="roadmap_capacity"),
    path("capacity/set/", views_plan.team_capacity_set, name="team_capacity_set"),
    path("insights/", views_plan.insight_inbox, name="insight_inbox"),
    path("insights/<int:insight_id>/triage/", views_plan.insight_triage, name="insight_triage"),
    path("new/", views_initiative.roadmap_create, name="roadmap_create"),
    path("initiatives/new/", views_initiative.initiative_create, name="initiative_create"),
    path(ONE, views_initiative.initiative_detail, name="initiative_detail"),
    path(f"{ONE}move/", views.initiative_move, name="initiative_move"),
    path(f"{ONE}contributions/", views_initiative.contribution_create, name="contribution_create"),
    path(
        f"{ONE}contributions/<int:contribution_id>/delete/",
        views_initiative.contribution_delete,
        name="contribution_delete",
    ),
    path(f"{ONE}dependencies/", views_initiative.dependency_create, name="dependency_create"),
    path(
        f"{ONE}dependencies/<int:dependency_id>/delete/",
        views_initiative.dependency_delete,
        name="dependency_delete",
    ),
]
