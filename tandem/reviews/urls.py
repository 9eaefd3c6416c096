"""Review, baseline and cycle-close URL patterns, included by tandem.web.urls under
w/<workspace>/reviews/."""

from django.urls import path

from tandem.reviews.views import plan, reviews

urlpatterns = [
    path("", reviews.review_list, name="review_list"),
    path("<int:review_id>/", reviews.review_detail, name="review_detail"),
    path("<int:review_id>/open/", reviews.review_open, name="review_open"),
    path("<int:review_id>/finish/", reviews.review_close, name="review_close"),
    path("<int:review_id>/notes/", reviews.review_notes, name="review_notes"),
    path("<int:review_id>/decisions/", reviews.decision_create, name="decision_create"),
    path("<int:review_id>/actions/", reviews.action_item_create, name="action_item_create"),
    path("<int:review_id>/minutes.md", reviews.review_markdown, name="review_markdown"),
    path(
        "actions/<int:action_item_id>/done/",
        reviews.action_item_toggle,
        name="action_item_toggle",
    ),
    path("calendar/", reviews.calendar_feeds, name="calendar_feeds"),
    path("baselines/", plan.baseline_list, name="baseline_list"),
    path("cycles/<int:cycle_id>/close/", plan.cycle_close, name="cycle_close"),
]
