"""The calendar feed: no workspace in the URL and no session; the secret token is all."""

from django.urls import path

from tandem.reviews.views import reviews

urlpatterns = [path("<str:token>.ics", reviews.calendar_ics, name="calendar_ics")]
