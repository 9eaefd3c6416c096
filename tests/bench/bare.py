"""The framework's floor: a bare django-ninja app (URLs and WSGI; settings in
bare_settings.py), served by `make bench` exactly as Tandem is, so Tandem's figures read as
a ratio of it."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import path
from ninja import NinjaAPI, Schema

api = NinjaAPI(urls_namespace="bare")


class Reading(Schema):
    value: float
    confidence: int
    note: str = ""


@api.get("/hello")
def hello(request: object) -> dict[str, object]:
    return {"id": 1, "email": "bench@example.com", "name": "Bench"}


@api.post("/reading", response={201: Reading})
def reading(request: object, payload: Reading) -> tuple[int, Reading]:
    return 201, payload


urlpatterns = [path("api/", api.urls)]

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.bare_settings")
application = get_wsgi_application()
