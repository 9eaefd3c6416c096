from django.contrib import admin
from django.urls import include, path

from tandem.api import api
from tandem.core.health import healthz, readyz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("tandem.web.urls")),
]

handler404 = "tandem.core.not_found.not_found"
