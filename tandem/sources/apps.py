import datetime

from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "tandem.sources"
    label = "sources"

    def ready(self) -> None:
        from tandem.core.schedule import scheduled
        from tandem.sources.services import sources_pull_due

        scheduled(
            "source-pulls",
            every=datetime.timedelta(minutes=1),
            what="Pull the key-result data sources that are due (each hourly, daily or weekly).",
        )(sources_pull_due)
