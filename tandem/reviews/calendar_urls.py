"""The calendar feed: no workspace in the URL and no session; the secret token is all."""

from django.urls import path

from tandem.reviews import views

urlpatterns = [path("<str:token>.ics", views.calendar_ics, name="calendar_ics")]
