"""Activity URL patterns, included by tandem.web.urls."""

from django.urls import path

from tandem.activity import views

W = "w/<slug:workspace>"

urlpatterns = [
    path(f"{W}/activity/", views.activity_feed, name="activity_feed"),
    path(f"{W}/notifications/", views.notification_list, name="notification_list"),
    path(f"{W}/settings/webhooks/", views.webhook_list, name="webhook_list"),
    path(
        f"{W}/settings/webhooks/<int:webhook_id>/delete/",
        views.webhook_delete,
        name="webhook_delete",
    ),
    path(
        f"{W}/settings/webhooks/deliveries/<int:webhook_delivery_id>/retry/",
        views.webhook_delivery_retry,
        name="webhook_delivery_retry",
    ),
]
for kind, plural in [
    ("team", "teams"),
    ("objective", "objectives"),
    ("key_result", "key-results"),
    ("initiative", "initiatives"),
    ("conflict", "conflicts"),
    ("review", "reviews"),
]:
    urlpatterns += [
        path(
            f"{W}/activity/{plural}/<int:{kind}_id>/",
            views.object_feed(kind),
            name=f"activity_{kind}",
        ),
        path(
            f"{W}/activity/{plural}/<int:{kind}_id>/watch/",
            views.watch_toggle(kind),
            name=f"watch_{kind}",
        ),
    ]
