"""The per-table checksum that restore and load are judged by must see every change."""

import datetime

from tandem.accounts.models import Workspace
from tandem.backups.checksum import differences, table_checksums


def test_a_microsecond_changes_that_table_and_no_other(workspace):
    before = table_checksums()
    Workspace.objects.filter(pk=workspace.pk).update(
        created_at=workspace.created_at + datetime.timedelta(microseconds=1)
    )
    after = table_checksums()
    assert differences(before, after) == ["accounts_workspace: same 1 rows, different values"]


def test_a_new_row_is_counted(workspace, owner):
    before = table_checksums()
    Workspace.objects.create(name="Initech", slug="initech")
    assert differences(before, table_checksums()) == ["accounts_workspace: 1 rows, now 2"]
