from django.apps import AppConfig


class ConflictsConfig(AppConfig):
    name = "tandem.conflicts"
    label = "conflicts"
