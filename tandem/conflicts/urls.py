"""The conflict pages, below w/<workspace>/conflicts/ (included by tandem.web.urls)."""

from django.urls import path

from tandem.conflicts import views

urlpatterns = [
    path("", views.conflict_list, name="conflict_list"),
    path("decisions/", views.decision_log, name="decision_log"),
    path("export/", views.conflict_export, name="conflict_export"),
    path("decisions/export/", views.decision_export, name="decision_export"),
    path("<int:conflict_id>/", views.conflict_detail, name="conflict_detail"),
    path("<int:conflict_id>/status/", views.conflict_status, name="conflict_status"),
    path("<int:conflict_id>/decision/", views.conflict_decision, name="conflict_decision"),
    path("<int:conflict_id>/invite/", views.conflict_invite, name="conflict_invite"),
    path("<int:conflict_id>/comments/", views.conflict_comment, name="conflict_comment"),
    path("<int:conflict_id>/fix/", views.conflict_fix, name="conflict_fix"),
]
