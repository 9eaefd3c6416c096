from django.db import models

from tandem.core.tenancy import TenantModel


class SearchEntry(TenantModel):
    """One searchable object of a workspace, as its words. The full-text index over `title`
    and `body` is the database's own (migration 0002): an FTS5 table kept by triggers on
    SQLite, a generated tsvector column with a GIN index on PostgreSQL."""

    kind = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    # Shown under the title (the objective of a key result, an insight's kind): not searched.
    context = models.CharField(max_length=300, blank=True)
    # Where a result without a page of its own leads: a person's first team.
    parent_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "kind", "object_id"], name="search_entry_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"
