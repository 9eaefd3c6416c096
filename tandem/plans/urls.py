from django.urls import path

from tandem.plans import views

urlpatterns = [
    path("", views.import_page, name="import_page"),
    path("template/", views.import_template, name="import_template"),
]
