"""Integrations URL patterns, included by tandem.web.urls."""

from django.urls import path

from tandem.integrations import views

W = "w/<slug:workspace>"

urlpatterns = [
    path("hooks/<str:token>/", views.inbound, name="tracker_inbound"),
    path(f"{W}/settings/integrations/", views.integration_list, name="integration_list"),
    path(
        f"{W}/settings/integrations/<int:tracker_endpoint_id>/rotate/",
        views.integration_rotate,
        name="integration_rotate",
    ),
    path(
        f"{W}/settings/integrations/<int:tracker_endpoint_id>/delete/",
        views.integration_delete,
        name="integration_delete",
    ),
]
