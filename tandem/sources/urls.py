"""The data source card's actions, included under w/<slug:workspace>/okrs/key-results/."""

from django.urls import path

from tandem.sources import views

urlpatterns = [
    path("<int:key_result_id>/source/", views.source_set, name="source_set"),
    path("<int:key_result_id>/source/secret/", views.source_rotate, name="source_rotate"),
    path("<int:key_result_id>/source/run/", views.source_run, name="source_run"),
    path("<int:key_result_id>/source/remove/", views.source_remove, name="source_remove"),
]
