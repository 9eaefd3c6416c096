"""`tandem backup/restore/dump/load`, run as an operator runs them against real instances:
the demo on the suite's database, and a copy moved to the other one."""

import gzip
import json
import sqlite3

import pytest

from tests.backups.instances import (
    Instance,
    new_instance,
    postgres_reachable,
    suite_vendor,
)

VENDOR = suite_vendor()
OTHER = "sqlite" if VENDOR == "postgresql" else "postgresql"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    with new_instance(tmp_path_factory.mktemp("demo"), VENDOR) as instance:
        instance.run("demo")
        yield instance


@pytest.fixture(scope="module")
def demo_dump(demo, tmp_path_factory):
    path = tmp_path_factory.mktemp("dumps") / "demo.jsonl.gz"
    result = demo.run("dump", str(path))
    assert result.stdout.startswith("Dumped ")
    return path


@pytest.fixture(scope="module")
def moved(demo_dump, tmp_path_factory):
    """The demo, loaded into a new instance on the other database."""
    if not postgres_reachable():
        pytest.skip("needs the PostgreSQL server at 127.0.0.1:5432 to move to or from")
    with new_instance(tmp_path_factory.mktemp("moved"), OTHER) as instance:
        result = instance.run("load", str(demo_dump))
        assert "every table's checksum matches the dump" in result.stdout
        yield instance


@pytest.fixture(scope="module")
def empty(tmp_path_factory):
    """A new, migrated instance on the suite's database, for loads that must write nothing."""
    with new_instance(tmp_path_factory.mktemp("empty"), VENDOR) as instance:
        yield instance, instance.checksums()


def refused(result) -> str:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_the_demo_moved_to_the_other_database_is_the_same_table_by_table(demo, moved):
    sums = demo.checksums()
    assert sums["okrs_keyresult"][0] > 0
    assert sums["roadmaps_insight_initiatives"][0] > 0
    assert moved.checksums() == sums

    # New rows get ids of their own: the sequences follow the loaded rows.
    created = moved.run("createuser", "--email", "new@example.com", "--password", "long enough")
    assert created.stdout.strip() == "Created new@example.com"


def test_load_refuses_a_database_that_is_not_empty(demo, demo_dump):
    before = demo.checksums()
    message = refused(demo.run("load", str(demo_dump), check=False))
    assert "not empty" in message
    assert demo.checksums() == before


def test_a_truncated_dump_loads_nothing(demo_dump, empty, tmp_path):
    with gzip.open(demo_dump, "rt") as handle:
        lines = handle.readlines()
    truncated = tmp_path / "truncated.jsonl"
    truncated.write_text("".join(lines[: len(lines) // 2]))
    target, nothing = empty
    message = refused(target.run("load", str(truncated), check=False))
    assert "nothing changed" in message
    assert "differs from the dump" in message
    assert target.checksums() == nothing


def test_a_row_the_database_refuses_is_named_and_nothing_is_loaded(demo_dump, empty, tmp_path):
    # A position SQLite stores and PostgreSQL's integer column refuses (issue 9).
    with gzip.open(demo_dump, "rt") as handle:
        lines = handle.readlines()
    for index, line in enumerate(lines):
        row = json.loads(line)
        if row.get("model") == "roadmaps.initiative":
            row["fields"]["position"] = 2**40
            lines[index] = json.dumps(row) + "\n"
            break
    edited = tmp_path / "edited.jsonl"
    edited.write_text("".join(lines))
    target, nothing = empty
    message = refused(target.run("load", str(edited), check=False))
    assert "roadmaps_initiative" in message
    assert "nothing changed" in message
    assert target.checksums() == nothing


def test_restore_refuses_a_file_of_another_kind_and_changes_nothing(
    demo, demo_dump, moved, tmp_path
):
    other_backup = tmp_path / "other.backup"
    moved.run("backup", str(other_backup))
    notes = tmp_path / "notes.txt"
    notes.write_text("not a backup\n")
    before = demo.checksums()

    expected = {
        demo_dump: "is a Tandem dump, not a backup",
        other_backup: f"runs on {'SQLite' if VENDOR == 'sqlite' else 'PostgreSQL'}",
        notes: "is not a Tandem backup",
    }
    for path, words in expected.items():
        message = refused(demo.run("restore", "--no-input", str(path), check=False))
        assert words in message
        assert str(path) in message
    assert demo.checksums() == before


@pytest.mark.skipif(VENDOR != "sqlite", reason="pg_dump's snapshot is PostgreSQL's own")
def test_a_sqlite_backup_is_consistent_while_a_writer_is_mid_transaction(demo, tmp_path):
    writer = sqlite3.connect(demo.data_dir / "tandem.sqlite3", isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE accounts_workspace SET name = 'Uncommitted'")
        backup = tmp_path / "during-a-write.backup"
        demo.run("backup", str(backup))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    copy = sqlite3.connect(backup)
    try:
        assert copy.execute("SELECT name FROM accounts_workspace").fetchall() == [("Acme",)]
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        copy.close()


def test_backup_change_restore_brings_every_table_back(demo: Instance, tmp_path):
    before = demo.checksums()
    backup = tmp_path / "before-the-change.backup"
    assert "Backed up" in demo.run("backup", str(backup)).stdout

    demo.run("demo", "--reset")
    demo.run("createuser", "--email", "late@example.com", "--password", "a long passphrase")
    changed = demo.checksums()
    assert changed["accounts_user"][0] == before["accounts_user"][0] + 1
    assert changed["okrs_keyresult"] != before["okrs_keyresult"]

    assert "Restored" in demo.run("restore", "--no-input", str(backup)).stdout
    assert demo.checksums() == before
