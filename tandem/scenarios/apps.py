from django.apps import AppConfig


class ScenariosConfig(AppConfig):
    name = "tandem.scenarios"
    label = "scenarios"
