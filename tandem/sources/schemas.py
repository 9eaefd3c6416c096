import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from tandem.core.api_fields import Reason, text
from tandem.core.versioning import VERSION
from tandem.sources.models import DataSource


class SourceIn(Schema):
    kind: Annotated[str, text(DataSource, "kind")] = Field(
        description="push: a script posts values to push_url; json/csv: Tandem fetches url; "
        "sql: Tandem runs query on a configured PostgreSQL database."
    )
    url: Annotated[str, text(DataSource, "url")] = Field(
        "", description="json, csv: the address to fetch."
    )
    path: Annotated[str, text(DataSource, "path")] = Field(
        "",
        description="json: where the value is, e.g. data.items[-1].count (docs/data-sources.md).",
    )
    column: Annotated[str, text(DataSource, "column")] = Field(
        "", description="csv: the column (header or number from 1) of the last row."
    )
    database: Annotated[str, text(DataSource, "database")] = Field(
        "", description="sql: a database name from TANDEM_SQL_SOURCES."
    )
    query: Annotated[str, text(DataSource, "query")] = Field(
        "", description="sql: one read-only statement; the first column of its first row."
    )
    every: Annotated[str, text(DataSource, "every")] = Field(
        "", description="json, csv, sql: hourly, daily (the default) or weekly."
    )
    reason: Reason = ""


class SourceOut(Schema):
    key_result_id: int
    kind: str
    url: str
    path: str
    column: str
    database: str
    query: str
    every: str
    push_url: str | None = Field(description="push: where to POST values.")
    secret: str | None = Field(
        description="push: the Bearer secret, only in the answer that made it; keep it."
    )
    next_run_at: datetime.datetime | None
    last_run_at: datetime.datetime | None
    last_value: Decimal | None
    last_error: str
    failing_since: datetime.datetime | None
    failing: bool = Field(description="Failing for more than a day.")
    version: int = VERSION


class SourceRunOut(Schema):
    at: datetime.datetime
    trigger: str = Field(description="push, schedule or manual.")
    value: Decimal | None
    error: str
    check_in_id: int | None


class PushIn(Schema):
    value: Decimal
