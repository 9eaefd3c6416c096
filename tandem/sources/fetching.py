"""Reading a pull source's value: JSON or CSV fetched through the egress guard, or a
read-only query on a PostgreSQL database the administrator configured. Every failure is a
ReadFailed whose text is safe to show and is recorded on the source."""

import decimal

import psycopg
from django.conf import settings
from psycopg import errors as pg_errors

from tandem.core import egress
from tandem.domain.readings import number, pick_csv, pick_json
from tandem.sources.models import DataSource, SourceKind

FETCH_TIMEOUT = 15.0
MAX_RESPONSE = 1024 * 1024
SQL_TIMEOUT_MS = 10_000
CONNECT_TIMEOUT = 10
ACCEPT = {SourceKind.JSON: "application/json", SourceKind.CSV: "text/csv"}


class ReadFailed(Exception):
    pass


def read(source: DataSource) -> decimal.Decimal:
    if source.kind == SourceKind.SQL:
        return query_value(source.database, source.query)
    body = fetch(source.url, accept=ACCEPT[SourceKind(source.kind)])
    try:
        if source.kind == SourceKind.JSON:
            return pick_json(body, source.path)
        return pick_csv(body, source.column)
    except ValueError as error:
        raise ReadFailed(str(error)) from None


def fetch(url: str, *, accept: str) -> bytes:
    try:
        response = egress.request(
            "GET",
            url,
            headers={"Accept": accept, "User-Agent": "Tandem data source"},
            timeout=FETCH_TIMEOUT,
            max_bytes=MAX_RESPONSE,
        )
    except egress.EgressRefused as error:
        raise ReadFailed(
            f"The address was {error.category} (an administrator can allow an internal "
            "host with TANDEM_EGRESS_ALLOW)."
        ) from None
    except egress.EgressError as error:
        if error.category == "response too large":
            raise ReadFailed(f"The response is larger than {MAX_RESPONSE // 1024} KB.") from None
        raise ReadFailed(f"Could not fetch the address: {error.category}.") from None
    if response.problem:
        raise ReadFailed(f"The server answered {response.problem}.")
    return response.body


def query_value(database: str, query: str) -> decimal.Decimal:
    """The first column of the first row of one statement, run in a read-only transaction
    with a statement timeout. A prepared statement cannot hold a second command, so a query
    cannot end the read-only transaction and write in another."""
    dsn = settings.TANDEM_SQL_SOURCES.get(database)
    if dsn is None:
        raise ReadFailed(f"No database named {database!r} is configured (TANDEM_SQL_SOURCES).")
    options = f"-c default_transaction_read_only=on -c statement_timeout={SQL_TIMEOUT_MS}"
    try:
        with psycopg.connect(
            dsn, connect_timeout=CONNECT_TIMEOUT, options=options, autocommit=False
        ) as connection:
            connection.read_only = True
            try:
                with connection.cursor() as cursor:
                    cursor.execute(query.encode(), prepare=True)
                    row = cursor.fetchone() if cursor.description else None
            finally:
                connection.rollback()
    except pg_errors.ReadOnlySqlTransaction:
        raise ReadFailed("The query tried to write; a data source may only read.") from None
    except pg_errors.QueryCanceled:
        raise ReadFailed(
            f"The query ran past its {SQL_TIMEOUT_MS // 1000} s timeout and was stopped."
        ) from None
    except pg_errors.SyntaxError as error:
        if "multiple commands" in str(error):
            raise ReadFailed("The query must be one statement (no `;` between two).") from None
        raise ReadFailed(f"The query is not valid: {_first_line(error)}.") from None
    except psycopg.OperationalError:
        raise ReadFailed(f"Could not connect to the database {database!r}.") from None
    except psycopg.Error as error:
        raise ReadFailed(f"The query failed: {_first_line(error)}.") from None
    if row is None:
        raise ReadFailed("The query returned no row.")
    try:
        return number(row[0], "The query's first column")
    except ValueError as error:
        raise ReadFailed(str(error)) from None


def _first_line(error: psycopg.Error) -> str:
    diag = error.diag.message_primary if error.diag else None
    return (diag or str(error).splitlines()[0] if str(error) else type(error).__name__)[:300]
