"""PostgreSQL as the system of record, reached through DuckDB's `postgres` extension.

The engine's SQL stays DuckDB's dialect: an in-memory DuckDB connection attaches the PostgreSQL database
as `pg` and makes it the default catalog (`USE pg`), so every unqualified table name is PostgreSQL's. The
extension comes from the `duckdb-extension-postgres` wheel (this network cannot download extensions at run
time; docs/architecture.md). Each failure a person can meet on the way — the wheel missing or built for
another DuckDB, the server not answering, a wrong password, a database that does not exist — becomes a
KpiError with a Vietnamese message that names the server without its password.
"""
from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import duckdb

from kpi.problems import KpiError

CATALOG = "pg"
SCHEMES = ("postgresql://", "postgres://")


def is_url(target: str | None) -> bool:
    return bool(target) and str(target).startswith(SCHEMES)


def redacted(url: str) -> str:
    """The URL as it may be shown or logged: user, host, port and database, never the password."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or "localhost"
    port = f":{parts.port}" if parts.port else ""
    user = f"{parts.username}@" if parts.username else ""
    return f"postgresql://{user}{host}{port}{parts.path}"


def extension_file() -> Path:
    """The extension built for the installed DuckDB, inside the wheel."""
    try:
        import duckdb_extension_postgres as wheel
    except ImportError as exc:
        raise KpiError("postgres_extension_missing", version=duckdb.__version__) from exc
    folder = Path(wheel.__file__).parent / "extensions"
    path = folder / f"v{duckdb.__version__}" / "postgres.duckdb_extension"
    if not path.exists():
        built = ", ".join(sorted(p.name.lstrip("v") for p in folder.glob("v*"))) or "?"
        raise KpiError("postgres_extension_mismatch", version=duckdb.__version__, built=built)
    return path


# What libpq says, and the Vietnamese answer it gets (kpi/text.py PROBLEMS).
_FAILURES = (
    (re.compile(r"password authentication failed|no password supplied|authentication failed", re.I),
     "postgres_password"),
    (re.compile(r"database \".*\" does not exist", re.I), "postgres_no_database"),
    (re.compile(r"connection refused|could not connect|timeout expired|could not translate host name|"
                r"no route to host|server closed the connection|connection to server .* failed", re.I),
     "postgres_unreachable"),
)


def failure(url: str, exc: Exception) -> KpiError:
    """A connection failure as the person running the product should read it."""
    message = str(exc)
    for pattern, code in _FAILURES:
        if pattern.search(message):
            return KpiError(code, server=redacted(url))
    return KpiError("postgres_failed", server=redacted(url), reason=_first_line(message, url))


def _first_line(message: str, url: str) -> str:
    line = (message.strip().splitlines() or [""])[0][:200]
    password = urllib.parse.urlsplit(url).password
    return line.replace(password, "***") if password else line


def attach(con: duckdb.DuckDBPyConnection, url: str) -> None:
    """Load the extension and make the PostgreSQL database the connection's default catalog."""
    path = extension_file()
    try:
        con.execute(f"INSTALL '{path}'")  # a file path from the wheel, never user text
        con.execute("LOAD postgres")
    except duckdb.Error as exc:
        raise KpiError("postgres_extension_mismatch", version=duckdb.__version__, built="?") from exc
    try:
        con.execute(f"ATTACH '{_quoted(url)}' AS {CATALOG} (TYPE postgres)")
        con.execute(f"USE {CATALOG}")
    except duckdb.Error as exc:
        raise failure(url, exc) from exc


def _quoted(url: str) -> str:
    """ATTACH takes no parameters: the URL goes in as a SQL string literal, its quotes doubled."""
    return url.replace("'", "''")


def alive(con: duckdb.DuckDBPyConnection) -> bool:
    """One round trip to the server: False when the connection was dropped (server restarted, network)."""
    try:
        con.execute(f"SELECT * FROM postgres_query('{CATALOG}', 'SELECT 1')").fetchall()
        return True
    except duckdb.Error:
        return False


def in_transaction(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether `con` (attached to PostgreSQL) is inside an explicit transaction: there two statements share one
    transaction id, outside each statement is its own. The id is asked of the connection's own in-memory
    catalogue (`txid_current` on the attached one is an internal error), and nothing is tried that could
    abort the caller's transaction (BEGIN would)."""
    con.execute("USE memory")
    try:
        first = con.execute("SELECT txid_current()").fetchone()[0]
        return con.execute("SELECT txid_current()").fetchone()[0] == first
    finally:
        con.execute(f"USE {CATALOG}")


def is_attached(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the connection's DuckDB instance has the PostgreSQL database attached (a new cursor starts in
    the in-memory catalogue even then)."""
    return bool(con.execute("SELECT count(*) FROM duckdb_databases() WHERE database_name = ? AND type = 'postgres'",
                            [CATALOG]).fetchone()[0])


def is_postgres(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("SELECT type FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return bool(row) and row[0] == "postgres"


# ---- the application's own role: it reads and writes the product's tables but cannot rewrite history.
# The owner (who runs `python -m kpi init` and the migrations) grants; the dashboard and the command line
# then connect as the application role (docs/deploy.md). The audit trail and the write journal take only
# new rows from it: UPDATE, DELETE and TRUNCATE are refused by PostgreSQL itself (RELIABILITY D10).
APPEND_ONLY = ("audit_event", "write_journal")
_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_statements(role: str) -> list[str]:
    if not _ROLE.match(role):
        raise KpiError("postgres_role_name", role=role)
    append_only = ", ".join(APPEND_ONLY)
    return [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {append_only} FROM {role}",
    ]


def grant_application_role(con: duckdb.DuckDBPyConnection, role: str) -> None:
    """Run as the owner, on the attached database: what the application role may do (idempotent)."""
    if not is_postgres(con):
        raise KpiError("postgres_only")
    for statement in grant_statements(role):
        try:
            con.execute(f"CALL postgres_execute('{CATALOG}', '{statement}')")  # role name checked above
        except duckdb.Error as exc:
            if "does not exist" in str(exc):
                raise KpiError("postgres_role_missing", role=role) from exc
            raise


def lock_row_now(con: duckdb.DuckDBPyConnection) -> None:
    """Inside a write transaction: take the write_lock row, or fail at once ("could not obtain lock") when
    another writer holds it. The query runs in the same PostgreSQL transaction as the DuckDB statements."""
    con.execute(f"SELECT * FROM postgres_query('{CATALOG}', "
                "'SELECT taken FROM write_lock WHERE id = 1 FOR UPDATE NOWAIT')").fetchall()
