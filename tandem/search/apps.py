from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "tandem.search"
    verbose_name = "Search"

    def ready(self) -> None:
        from tandem.activity.outbox import subscribe
        from tandem.search.index import index_changes, is_indexed

        # The index follows every committed write of what it covers, once per transaction.
        subscribe("search.index", index_changes, about=is_indexed)
