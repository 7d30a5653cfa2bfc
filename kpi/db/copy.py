"""A whole database moved between backends (`python -m kpi db copy --to …`): embedded file → PostgreSQL when a
province outgrows one server, and back (a PostgreSQL database → a DuckDB file, e.g. for an archive).

Both sides are brought to the same schema version by their own migrations first, so every table has the
same columns; rows then stream in Arrow batches (bounded memory at any size), all in one transaction on the
target, and each table is verified before the commit by its row count and an order-independent checksum
computed the same way on both sides. A mismatch rolls everything back. A target that already holds data is
refused unless `replace` is asked for. The originals of accepted uploads travel with the rows (a folder
beside a DuckDB file, the `original_file` table on PostgreSQL: kpi/db/originals.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from kpi.db import originals, postgres, schema
from kpi.db.connection import connect, transaction
from kpi.problems import KpiError

# Not copied: the schema version (each side's migrations wrote it) and the writers' lock row (each side's own).
NOT_COPIED = ("schema_version", "write_lock")
# What migrations seed into a new database: a target holding only these is empty.
SEEDED = ("area", "database_identity", "period_kind", "snapshot_counter", *NOT_COPIED)
BATCH_ROWS = 100_000


@dataclass(frozen=True)
class TableCopy:
    table: str
    rows: int
    checksum: int


def tables(con) -> list[str]:
    """The base tables (views are made by the migrations on each side)."""
    views = schema.view_names()
    return [row[0] for row in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() "
        "AND table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()
            if row[0] not in views]


def columns(con, table: str) -> list[str]:
    return [row[0] for row in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = current_schema() AND table_name = ? ORDER BY column_index", [table]).fetchall()]


def holds_data(con) -> list[str]:
    """The tables beyond what migrations seed that hold rows."""
    return [t for t in tables(con) if t not in SEEDED
            and con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]]


def fingerprint(con, table: str, names: list[str]) -> TableCopy:
    """Row count and the sum of each row's hash: the same rows give the same figures on either backend."""
    values = ", ".join(f'"{name}"' for name in names)
    count, total = con.execute(f"SELECT count(*), coalesce(sum(hash({values})), 0) FROM {table}").fetchone()
    return TableCopy(table, int(count), int(total))


def copy_database(source, target: str, *, replace: bool = False, actor=None) -> list[TableCopy]:
    """Copy every table of the open `source` connection into the database `target` (a file path or a
    PostgreSQL URL), verified; returns what each table carried."""
    from kpi import audit
    destination = connect(target)
    try:
        source_version = source.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        target_version = destination.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        if source_version != target_version:
            raise KpiError("copy_version", found=source_version, supported=target_version)
        occupied = holds_data(destination)
        if occupied and not replace:
            raise KpiError("copy_target_not_empty", tables=", ".join(occupied[:5]), count=len(occupied))
        carried = []
        with transaction(destination, action="db_copy", detail={"tables": len(tables(source))}):
            for table in tables(source):
                if table in NOT_COPIED:
                    continue
                carried.append(_copy_table(source, destination, table))
            for sha256 in originals.kept(source):
                data = originals.read(source, sha256)
                if data is not None:
                    originals.keep(destination, sha256, data)
            if actor is not None:
                audit.append(destination, actor, "db_copy", subject=_described(target),
                             detail={"tables": len(carried), "rows": sum(c.rows for c in carried)})
        return carried
    finally:
        destination.close()


def _described(target: str) -> str:
    return postgres.redacted(target) if postgres.is_url(target) else str(target)


def _copy_table(source, destination, table: str) -> TableCopy:
    names = columns(source, table)
    if names != columns(destination, table):
        raise KpiError("copy_columns", table=table)
    listed = ", ".join(f'"{name}"' for name in names)
    destination.execute(f"DELETE FROM {table}")
    reader = source.execute(f"SELECT {listed} FROM {table}").to_arrow_reader(BATCH_ROWS)
    for batch in reader:
        destination.register("incoming_rows", batch)
        try:
            destination.execute(f"INSERT INTO {table} ({listed}) SELECT {listed} FROM incoming_rows")
        finally:
            destination.unregister("incoming_rows")
    expected, found = fingerprint(source, table, names), fingerprint(destination, table, names)
    if expected != found:
        raise KpiError("copy_mismatch", table=table, expected=expected.rows, found=found.rows)
    return expected

