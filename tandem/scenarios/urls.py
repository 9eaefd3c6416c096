"""The scenario pages, below w/<workspace>/scenarios/ (included by tandem.web.urls)."""

from django.urls import path

from tandem.scenarios import views

urlpatterns = [
    path("", views.scenario_list, name="scenario_list"),
    path("<int:scenario_id>/", views.scenario_detail, name="scenario_detail"),
    path("<int:scenario_id>/edits/", views.scenario_edit_add, name="scenario_edit_add"),
    path(
        "<int:scenario_id>/edits/<int:edit_id>/remove/",
        views.scenario_edit_remove,
        name="scenario_edit_remove",
    ),
    path("<int:scenario_id>/comments/", views.scenario_comment, name="scenario_comment"),
    path("<int:scenario_id>/discard/", views.scenario_discard, name="scenario_discard"),
    path("<int:scenario_id>/apply/", views.scenario_apply, name="scenario_apply"),
]
