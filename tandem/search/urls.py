"""Search URL patterns, included by tandem.web.urls."""

from django.urls import path

from tandem.search import views

urlpatterns = [path("", views.search_page, name="search")]
