"""OKR pages, included under w/<slug:workspace>/okrs/."""

from django.urls import path

from tandem.okrs import edit_views as edit
from tandem.okrs import views

urlpatterns = [
    path("", views.okr_list, name="okr_list"),
    path("tree/", views.okr_tree, name="okr_tree"),
    path("mine/", views.okr_mine, name="okr_mine"),
    path("cycles/", edit.cycle_list, name="okr_cycles"),
    path("cycles/<int:cycle_id>/activate/", edit.cycle_activate, name="okr_cycle_activate"),
    path("objectives/new/", edit.objective_create, name="objective_create"),
    path("objectives/<int:objective_id>/", views.objective_detail, name="objective_detail"),
    path("objectives/<int:objective_id>/edit/", edit.objective_edit, name="objective_edit"),
    path(
        "objectives/<int:objective_id>/archive/", edit.objective_archive, name="objective_archive"
    ),
    path(
        "objectives/<int:objective_id>/key-results/new/",
        edit.key_result_create,
        name="key_result_create",
    ),
    path("key-results/<int:key_result_id>/", views.key_result_detail, name="key_result_detail"),
    path("key-results/<int:key_result_id>/edit/", edit.key_result_edit, name="key_result_edit"),
    path(
        "key-results/<int:key_result_id>/archive/",
        edit.key_result_archive,
        name="key_result_archive",
    ),
    path(
        "key-results/<int:key_result_id>/check-in/",
        edit.key_result_check_in,
        name="key_result_check_in",
    ),
    path("key-results/<int:key_result_id>/grade/", edit.key_result_grade, name="key_result_grade"),
    path("key-results/<int:key_result_id>/link/", edit.key_result_link, name="key_result_link"),
]
