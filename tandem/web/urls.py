from django.urls import path

from tandem.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
