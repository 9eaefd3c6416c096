"""The full-text index, in each database's own terms (Django has no portable one).

SQLite: an FTS5 table over the entries' title and body (external content, so the words are
stored once), kept in step by triggers on the entries table, so every write of an entry
(the ORM, a `tandem load`, a restore) updates it. PostgreSQL: a stored tsvector column
generated from the same fields, title weighted above body, with a GIN index. The 'simple'
configuration (no stemming) because names and titles are matched by their prefixes."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import ProjectState, StateApps

SQLITE = [
    """CREATE VIRTUAL TABLE search_searchentry_fts USING fts5(
        title, body, content='search_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
    """CREATE TRIGGER search_searchentry_ai AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_searchentry_fts(rowid, title, body)
        VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER search_searchentry_ad AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_searchentry_fts(search_searchentry_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER search_searchentry_au AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_searchentry_fts(search_searchentry_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO search_searchentry_fts(rowid, title, body)
        VALUES (new.id, new.title, new.body);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER search_searchentry_au",
    "DROP TRIGGER search_searchentry_ad",
    "DROP TRIGGER search_searchentry_ai",
    "DROP TABLE search_searchentry_fts",
]
POSTGRESQL = [
    """ALTER TABLE search_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A') ||
        setweight(to_tsvector('simple', body), 'B')) STORED""",
    "CREATE INDEX search_searchentry_document ON search_searchentry USING GIN (document)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX search_searchentry_document",
    "ALTER TABLE search_searchentry DROP COLUMN document",
]


class VendorSQL(migrations.RunSQL):
    """RunSQL with one script per database vendor."""

    def __init__(self, **scripts: tuple[list[str], list[str]]) -> None:
        self.scripts = scripts
        super().__init__(sql=migrations.RunSQL.noop, reverse_sql=migrations.RunSQL.noop)

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        for statement in self.scripts[schema_editor.connection.vendor][0]:
            schema_editor.execute(statement, params=None)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        for statement in self.scripts[schema_editor.connection.vendor][1]:
            schema_editor.execute(statement, params=None)


def index_existing(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from tandem.search.index import reindex

    for workspace_id in apps.get_model("accounts", "Workspace").objects.values_list("pk", flat=True):
        reindex(workspace_id=workspace_id, registry=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        # What the first index is built from.
        ("okrs", "0004_external_refs"),
        ("roadmaps", "0003_external_refs"),
        ("conflicts", "0002_conflict_version"),
        ("strategy", "0004_external_refs"),
    ]

    operations = [
        VendorSQL(
            sqlite=(SQLITE, SQLITE_REVERSE), postgresql=(POSTGRESQL, POSTGRESQL_REVERSE)
        ),
        migrations.RunPython(index_existing, migrations.RunPython.noop),
    ]
