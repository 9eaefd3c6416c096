from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "tandem.plans"
    verbose_name = "Plan files"
