"""The Plan file pages, included under w/<slug:workspace>/plan/."""

from django.urls import path

from tandem.plans import plan_views as views

urlpatterns = [
    path("", views.plan_page, name="plan_page"),
    path("plan.yaml", views.plan_download, name="plan_download"),
    path("runs/<int:run_id>/", views.plan_run, name="plan_run"),
    path("runs/<int:run_id>/apply/", views.plan_run_apply, name="plan_run_apply"),
]
