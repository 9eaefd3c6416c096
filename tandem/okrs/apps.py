from django.apps import AppConfig


class OkrsConfig(AppConfig):
    name = "tandem.okrs"
    label = "okrs"
