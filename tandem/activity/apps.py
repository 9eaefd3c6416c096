from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "tandem.activity"
    label = "activity"
