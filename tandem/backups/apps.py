from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "tandem.backups"
    label = "backups"
    verbose_name = "Backups"
