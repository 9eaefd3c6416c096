"""Strategy URL patterns, below w/<workspace>/strategy/."""

from django.urls import path

from tandem.strategy.views import editing, pages

urlpatterns = [
    path("", pages.strategy_overview, name="strategy"),
    path("vision/", editing.vision_edit, name="vision_edit"),
    path("pillars/new/", editing.pillar_create, name="pillar_create"),
    path("pillars/<int:pillar_id>/", pages.pillar_detail, name="pillar_detail"),
    path("pillars/<int:pillar_id>/edit/", editing.pillar_edit, name="pillar_edit"),
    path("pillars/<int:pillar_id>/archive/", editing.pillar_archive, name="pillar_archive"),
    path("pillars/<int:pillar_id>/move/", editing.pillar_move, name="pillar_move"),
    path("teams/new/", editing.team_create, name="team_create"),
    path("teams/<int:team_id>/", pages.team_detail, name="team_detail"),
    path("teams/<int:team_id>/edit/", editing.team_edit, name="team_edit"),
    path("teams/<int:team_id>/archive/", editing.team_archive, name="team_archive"),
]
