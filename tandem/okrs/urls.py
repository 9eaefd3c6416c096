"""OKR pages, included under w/<slug:workspace>/okrs/."""

from django.urls import path

from tandem.okrs.views import editing, pages

urlpatterns = [
    path("", pages.okr_list, name="okr_list"),
    path("tree/", pages.okr_tree, name="okr_tree"),
    path("mine/", pages.okr_mine, name="okr_mine"),
    path("export/", pages.okr_export, name="okr_export"),
    path("cycles/", editing.cycle_list, name="okr_cycles"),
    path("cycles/<int:cycle_id>/activate/", editing.cycle_activate, name="okr_cycle_activate"),
    path("objectives/new/", editing.objective_create, name="objective_create"),
    path("objectives/<int:objective_id>/", pages.objective_detail, name="objective_detail"),
    path("objectives/<int:objective_id>/edit/", editing.objective_edit, name="objective_edit"),
    path(
        "objectives/<int:objective_id>/archive/",
        editing.objective_archive,
        name="objective_archive",
    ),
    path(
        "objectives/<int:objective_id>/key-results/new/",
        editing.key_result_create,
        name="key_result_create",
    ),
    path("key-results/<int:key_result_id>/", pages.key_result_detail, name="key_result_detail"),
    path("key-results/<int:key_result_id>/edit/", editing.key_result_edit, name="key_result_edit"),
    path(
        "key-results/<int:key_result_id>/archive/",
        editing.key_result_archive,
        name="key_result_archive",
    ),
    path(
        "key-results/<int:key_result_id>/check-in/",
        editing.key_result_check_in,
        name="key_result_check_in",
    ),
    path(
        "key-results/<int:key_result_id>/grade/", editing.key_result_grade, name="key_result_grade"
    ),
    path("key-results/<int:key_result_id>/link/", editing.key_result_link, name="key_result_link"),
]
