from django.contrib import admin
from django.urls import include, path

from tandem.api import api
from tandem.core.health import healthz, readyz
from tandem.sources.views import source_push

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    # A data source's push endpoint: its own secret, not a personal token (docs/data-sources.md).
    path("api/v1/push/<str:push_id>", source_push, name="source_push"),
    path("api/", api.urls),
    path("", include("tandem.web.urls")),
]

handler404 = "tandem.core.not_found.not_found"
