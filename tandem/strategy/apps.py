from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "tandem.strategy"
    label = "strategy"
