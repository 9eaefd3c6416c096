"""Strategy URL patterns, below w/<workspace>/strategy/."""

from django.urls import path

from tandem.strategy import edit_views
from tandem.web import strategy_pages

urlpatterns = [
    path("", strategy_pages.strategy_overview, name="strategy"),
    path("vision/", edit_views.vision_edit, name="vision_edit"),
    path("pillars/new/", edit_views.pillar_create, name="pillar_create"),
    path("pillars/<int:pillar_id>/", strategy_pages.pillar_detail, name="pillar_detail"),
    path("pillars/<int:pillar_id>/edit/", edit_views.pillar_edit, name="pillar_edit"),
    path("pillars/<int:pillar_id>/archive/", edit_views.pillar_archive, name="pillar_archive"),
    path("pillars/<int:pillar_id>/move/", edit_views.pillar_move, name="pillar_move"),
    path("teams/new/", edit_views.team_create, name="team_create"),
    path("teams/<int:team_id>/", strategy_pages.team_detail, name="team_detail"),
    path("teams/<int:team_id>/edit/", edit_views.team_edit, name="team_edit"),
    path("teams/<int:team_id>/archive/", edit_views.team_archive, name="team_archive"),
]
