"""Review, baseline and cycle-close URL patterns, included by tandem.web.urls under
w/<workspace>/reviews/."""

from django.urls import path

from tandem.reviews import plan_views, views

urlpatterns = [
    path("", views.review_list, name="review_list"),
    path("<int:review_id>/", views.review_detail, name="review_detail"),
    path("<int:review_id>/open/", views.review_open, name="review_open"),
    path("<int:review_id>/finish/", views.review_close, name="review_close"),
    path("<int:review_id>/notes/", views.review_notes, name="review_notes"),
    path("<int:review_id>/decisions/", views.decision_create, name="decision_create"),
    path("<int:review_id>/actions/", views.action_item_create, name="action_item_create"),
    path("<int:review_id>/minutes.md", views.review_markdown, name="review_markdown"),
    path(
        "actions/<int:action_item_id>/done/",
        views.action_item_toggle,
        name="action_item_toggle",
    ),
    path("calendar/", views.calendar_feeds, name="calendar_feeds"),
    path("baselines/", plan_views.baseline_list, name="baseline_list"),
    path("cycles/<int:cycle_id>/close/", plan_views.cycle_close, name="cycle_close"),
]
