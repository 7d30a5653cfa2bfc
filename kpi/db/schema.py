"""The database structure as numbered forward migrations, recorded in `schema_version`.

Portable on purpose (the same statements run on PostgreSQL attached through DuckDB's
`postgres` extension): plain scalar columns, no LIST/STRUCT/MAP, no sequences (ids are
natural keys or made in Python), and keys declared so that the database itself refuses
duplicates. Foreign keys are not declared: DuckDB checks them so eagerly that replacing a
plan (delete and re-insert the same keys in one transaction) fails; `kpi.plans.validate`
checks every reference before writing and `tests/test_plan_store.py` checks no row is
orphaned. Multi-valued facts (a task's lead units) are link tables; flags are a
`;`-separated text column because they are labels, never joined on.
"""
from __future__ import annotations

import re

import duckdb
import pandas as pd

from kpi import clock
from kpi.db import durability, reference
from kpi.db.connection import transaction

MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (1, "plan catalogue", [
        """CREATE TABLE area (
            code VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            sort_order INTEGER NOT NULL UNIQUE
        )""",
        """CREATE TABLE organisation (
            id VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL UNIQUE,
            province VARCHAR,
            sector VARCHAR,
            parent VARCHAR
        )""",
        """CREATE TABLE unit (
            org_id VARCHAR NOT NULL,
            code VARCHAR NOT NULL,
            name VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            PRIMARY KEY (org_id, code)
        )""",
        # alias_key is the folded spelling: one spelling names one unit, enforced here.
        """CREATE TABLE unit_alias (
            org_id VARCHAR NOT NULL,
            alias_key VARCHAR NOT NULL,
            alias VARCHAR NOT NULL,
            unit_code VARCHAR NOT NULL,
            PRIMARY KEY (org_id, alias_key)
        )""",
        """CREATE TABLE plan (
            id VARCHAR PRIMARY KEY,
            org_id VARCHAR NOT NULL,
            year INTEGER NOT NULL,
            number VARCHAR,
            issued_on DATE,
            issued_text VARCHAR,
            signer VARCHAR,
            signer_title VARCHAR,
            title VARCHAR,
            source_file VARCHAR,
            note VARCHAR,
            imported_at TIMESTAMP NOT NULL,
            UNIQUE (org_id, year)
        )""",
        """CREATE TABLE plan_area (
            plan_id VARCHAR NOT NULL,
            area_code VARCHAR NOT NULL,
            heading VARCHAR NOT NULL,
            number VARCHAR,
            source VARCHAR,
            lines VARCHAR,
            PRIMARY KEY (plan_id, area_code)
        )""",
        """CREATE TABLE target (
            plan_id VARCHAR NOT NULL,
            code VARCHAR NOT NULL,
            seq INTEGER NOT NULL,
            area_code VARCHAR NOT NULL,
            text VARCHAR NOT NULL,
            comparator VARCHAR NOT NULL,
            value DOUBLE,
            unit_of_measure VARCHAR,
            kind VARCHAR NOT NULL,
            stated_in VARCHAR NOT NULL,
            source VARCHAR,
            lines VARCHAR,
            appendix_source VARCHAR,
            appendix_lines VARCHAR,
            task_code VARCHAR,
            deadline_text VARCHAR,
            deadline_kind VARCHAR NOT NULL,
            due_date DATE,
            weight DOUBLE,
            indicator_key VARCHAR,
            flags VARCHAR NOT NULL,
            original_text VARCHAR,
            note VARCHAR,
            PRIMARY KEY (plan_id, code),
            UNIQUE (plan_id, seq)
        )""",
        """CREATE TABLE target_unit (
            plan_id VARCHAR NOT NULL,
            target_code VARCHAR NOT NULL,
            org_id VARCHAR NOT NULL,
            unit_code VARCHAR NOT NULL,
            PRIMARY KEY (plan_id, target_code, unit_code)
        )""",
        """CREATE TABLE task (
            plan_id VARCHAR NOT NULL,
            code VARCHAR NOT NULL,
            seq INTEGER NOT NULL,
            area_code VARCHAR NOT NULL,
            general_task VARCHAR,
            text VARCHAR NOT NULL,
            product VARCHAR,
            lead_text VARCHAR,
            coordinating_text VARCHAR,
            deadline_text VARCHAR,
            deadline_kind VARCHAR NOT NULL,
            due_date DATE,
            budget_million_vnd DOUBLE,
            budget_text VARCHAR,
            result_text VARCHAR,
            source VARCHAR,
            lines VARCHAR,
            flags VARCHAR NOT NULL,
            original_text VARCHAR,
            note VARCHAR,
            PRIMARY KEY (plan_id, code),
            UNIQUE (plan_id, seq)
        )""",
        """CREATE TABLE task_unit (
            plan_id VARCHAR NOT NULL,
            task_code VARCHAR NOT NULL,
            role VARCHAR NOT NULL CHECK (role IN ('lead', 'coordinating')),
            org_id VARCHAR NOT NULL,
            unit_code VARCHAR NOT NULL,
            PRIMARY KEY (plan_id, task_code, role, unit_code)
        )""",
        """CREATE TABLE task_milestone (
            plan_id VARCHAR NOT NULL,
            task_code VARCHAR NOT NULL,
            seq INTEGER NOT NULL,
            label VARCHAR,
            deadline_text VARCHAR NOT NULL,
            deadline_kind VARCHAR NOT NULL,
            due_date DATE,
            PRIMARY KEY (plan_id, task_code, seq)
        )""",
        """CREATE TABLE target_conflict (
            plan_id VARCHAR NOT NULL,
            target_code VARCHAR NOT NULL,
            field VARCHAR NOT NULL,
            body_text VARCHAR NOT NULL,
            appendix_text VARCHAR NOT NULL,
            body_value DOUBLE,
            appendix_value DOUBLE,
            note VARCHAR,
            status VARCHAR NOT NULL CHECK (status IN ('unresolved', 'resolved')),
            resolved_value DOUBLE,
            PRIMARY KEY (plan_id, target_code, field)
        )""",
        # A plan may set its own report deadlines (seed 003: Quý I before 10/3 ...).
        """CREATE TABLE plan_report_deadline (
            plan_id VARCHAR NOT NULL,
            period VARCHAR NOT NULL,
            month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
            day INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
            text VARCHAR,
            source VARCHAR,
            lines VARCHAR,
            PRIMARY KEY (plan_id, period)
        )""",
    ]),
    (2, "reported figures", [
        """CREATE TABLE period_kind (
            key VARCHAR PRIMARY KEY,
            name VARCHAR NOT NULL,
            quarters VARCHAR NOT NULL,
            first_quarter INTEGER NOT NULL,
            last_quarter INTEGER NOT NULL,
            report_month INTEGER NOT NULL,
            report_day INTEGER NOT NULL
        )""",
        # One submission = one unit's report for one plan and period (a file, or demo data).
        # Re-reporting supersedes: the old row stays with status 'superseded'.
        """CREATE TABLE submission (
            id VARCHAR PRIMARY KEY,
            plan_id VARCHAR NOT NULL,
            org_id VARCHAR NOT NULL,
            unit_code VARCHAR NOT NULL,
            period VARCHAR NOT NULL,
            period_year INTEGER NOT NULL,
            period_key VARCHAR NOT NULL,
            source VARCHAR NOT NULL CHECK (source IN ('upload', 'demo', 'import')),
            illustrative BOOLEAN NOT NULL,
            submitted_by VARCHAR,
            submitted_at TIMESTAMP NOT NULL,
            file_name VARCHAR,
            sha256 VARCHAR,
            rows INTEGER NOT NULL,
            status VARCHAR NOT NULL CHECK (status IN ('current', 'superseded')),
            note VARCHAR
        )""",
        """CREATE TABLE actual (
            submission_id VARCHAR NOT NULL,
            plan_id VARCHAR NOT NULL,
            target_code VARCHAR NOT NULL,
            unit_code VARCHAR NOT NULL,
            period VARCHAR NOT NULL,
            period_year INTEGER NOT NULL,
            period_key VARCHAR NOT NULL,
            numerator DOUBLE CHECK (numerator >= 0),
            denominator DOUBLE CHECK (denominator >= 0),
            value DOUBLE,
            done BOOLEAN,
            baseline DOUBLE,
            note VARCHAR,
            evidence VARCHAR,
            PRIMARY KEY (submission_id, target_code)
        )""",
        """CREATE TABLE task_progress (
            submission_id VARCHAR NOT NULL,
            plan_id VARCHAR NOT NULL,
            task_code VARCHAR NOT NULL,
            unit_code VARCHAR NOT NULL,
            period VARCHAR NOT NULL,
            period_year INTEGER NOT NULL,
            period_key VARCHAR NOT NULL,
            status VARCHAR NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done', 'dropped')),
            progress DOUBLE CHECK (progress BETWEEN 0 AND 100),
            completed_on DATE,
            result VARCHAR,
            note VARCHAR,
            PRIMARY KEY (submission_id, task_code)
        )""",
        # UNION ALL: the two parts are disjoint and keys are unique, and it lets the plan filter through.
        # Who is expected to report a target: its concrete responsible units; when the plan names none
        # (or only groups such as "Các đơn vị trực thuộc"), the Văn phòng Sở, which consolidates CCHC
        # reporting in every seed plan (docs/kpi.md).
        """CREATE VIEW target_reporter AS
            WITH concrete AS (
                SELECT tu.plan_id, tu.target_code, tu.unit_code
                FROM target_unit tu JOIN unit u ON u.org_id = tu.org_id AND u.code = tu.unit_code
                WHERE u.kind IN ('office', 'agency', 'subordinate'))
            SELECT plan_id, target_code, unit_code FROM concrete
            UNION ALL
            SELECT t.plan_id, t.code, u.code
            FROM target t JOIN plan p ON p.id = t.plan_id JOIN unit u ON u.org_id = p.org_id AND u.code = 'VPS'
            LEFT JOIN (SELECT DISTINCT plan_id, target_code FROM concrete) c
                   ON c.plan_id = t.plan_id AND c.target_code = t.code
            WHERE c.target_code IS NULL""",
        """CREATE VIEW task_reporter AS
            WITH concrete AS (
                SELECT tu.plan_id, tu.task_code, tu.unit_code
                FROM task_unit tu JOIN unit u ON u.org_id = tu.org_id AND u.code = tu.unit_code
                WHERE tu.role = 'lead' AND u.kind IN ('office', 'agency', 'subordinate'))
            SELECT plan_id, task_code, unit_code FROM concrete
            UNION ALL
            SELECT k.plan_id, k.code, u.code
            FROM task k JOIN plan p ON p.id = k.plan_id JOIN unit u ON u.org_id = p.org_id AND u.code = 'VPS'
            LEFT JOIN (SELECT DISTINCT plan_id, task_code FROM concrete) c
                   ON c.plan_id = k.plan_id AND c.task_code = k.code
            WHERE c.task_code IS NULL""",
        """CREATE VIEW current_actual AS
            SELECT a.*, s.illustrative FROM actual a JOIN submission s ON s.id = a.submission_id
            WHERE s.status = 'current'""",
        """CREATE VIEW current_task_progress AS
            SELECT p.*, s.illustrative FROM task_progress p JOIN submission s ON s.id = p.submission_id
            WHERE s.status = 'current'""",
    ]),
    (3, "audit", [
    # What happened to every upload, accepted or not (docs/reliability-catalogue.md R4). Never part of the
    # "nothing was written" fingerprint: a refused file is recorded here and nowhere else.
    """CREATE TABLE audit (
        id VARCHAR PRIMARY KEY,
        happened_at TIMESTAMP NOT NULL,
        kind VARCHAR NOT NULL CHECK (kind IN ('upload_rejected', 'duplicate_ignored', 'upload_applied')),
        who VARCHAR,
        plan_id VARCHAR,
        unit_code VARCHAR,
        period VARCHAR,
        file_name VARCHAR,
        sha256 VARCHAR,
        size INTEGER,
        code VARCHAR,
        detail VARCHAR
    )""",
    ]),
    (4, "period locks", [
        # The Văn phòng Sở closes a period to uploads from a date, grants a unit an exception, or approves
        # the period (approved figures are final until un-approved). Opt-in: no row, no lock.
        """CREATE TABLE period_lock (
            plan_id VARCHAR NOT NULL,
            period VARCHAR NOT NULL,
            locked_from DATE,
            approved BOOLEAN NOT NULL,
            approved_by VARCHAR,
            changed_at TIMESTAMP NOT NULL,
            PRIMARY KEY (plan_id, period)
        )""",
        """CREATE TABLE period_exception (
            plan_id VARCHAR NOT NULL,
            period VARCHAR NOT NULL,
            unit_code VARCHAR NOT NULL,
            granted_by VARCHAR,
            granted_at TIMESTAMP NOT NULL,
            PRIMARY KEY (plan_id, period, unit_code)
        )""",
    ]),
    (5, "meeting snapshots", [
        # A plan and period frozen for a meeting (kpi/meetings/snapshots.py). Rows are written once and never
        # updated; deleting a snapshot is an explicit act that removes its three parts together.
        """CREATE TABLE snapshot (
            id INTEGER PRIMARY KEY,
            plan_id VARCHAR NOT NULL,
            period VARCHAR NOT NULL,
            as_of DATE NOT NULL,
            name VARCHAR NOT NULL,
            note VARCHAR,
            created_by VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,
            illustrative BOOLEAN NOT NULL,
            summary VARCHAR NOT NULL
        )""",
        # Each table the dashboard showed, as Parquet: exact types, exact values, read back as they were.
        """CREATE TABLE snapshot_frame (
            snapshot_id INTEGER NOT NULL,
            name VARCHAR NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (snapshot_id, name)
        )""",
        # The submissions the results were computed from.
        """CREATE TABLE snapshot_submission (
            snapshot_id INTEGER NOT NULL,
            submission_id VARCHAR NOT NULL,
            unit_code VARCHAR NOT NULL,
            period VARCHAR NOT NULL,
            submitted_by VARCHAR,
            submitted_at TIMESTAMP NOT NULL,
            file_name VARCHAR,
            sha256 VARCHAR,
            illustrative BOOLEAN NOT NULL,
            PRIMARY KEY (snapshot_id, submission_id)
        )""",
    ]),
    (6, "finite figures", [
        # No path may store a non-finite figure: a NaN compares true with everything in DuckDB (NaN >= 0 holds),
        # so it passed the old checks and counted as attained. DuckDB cannot add a CHECK to a table, so the two
        # tables are rebuilt with one, their rows copied (a non-finite figure already stored becomes missing,
        # which is what it always meant) and their views made again.
        """CREATE TABLE actual_finite (
            submission_id VARCHAR NOT NULL,
            plan_id VARCHAR NOT NULL,
            target_code VARCHAR NOT NULL,
            unit_code VARCHAR NOT NULL,
            period VARCHAR NOT NULL,
            period_year INTEGER NOT NULL,
            period_key VARCHAR NOT NULL,
            numerator DOUBLE CHECK (abs(numerator) <= 1.7976931348623157e308 AND numerator >= 0),
            denominator DOUBLE CHECK (abs(denominator) <= 1.7976931348623157e308 AND denominator >= 0),
            value DOUBLE CHECK (abs(value) <= 1.7976931348623157e308),
            done BOOLEAN,
            baseline DOUBLE CHECK (abs(baseline) <= 1.7976931348623157e308),
            note VARCHAR,
            evidence VARCHAR,
            PRIMARY KEY (submission_id, target_code)
        )""",
        """INSERT INTO actual_finite SELECT submission_id, plan_id, target_code, unit_code, period, period_year,
            period_key,
            CASE WHEN abs(numerator) <= 1.7976931348623157e308 AND abs(denominator) <= 1.7976931348623157e308 THEN numerator END,
            CASE WHEN abs(numerator) <= 1.7976931348623157e308 AND abs(denominator) <= 1.7976931348623157e308 THEN denominator END,
            CASE WHEN abs(value) <= 1.7976931348623157e308 THEN value END, done, CASE WHEN abs(baseline) <= 1.7976931348623157e308 THEN baseline END,
            note, evidence FROM actual""",
        "DROP VIEW current_actual",
        "DROP TABLE actual",
        "ALTER TABLE actual_finite RENAME TO actual",
        """CREATE VIEW current_actual AS
            SELECT a.*, s.illustrative FROM actual a JOIN submission s ON s.id = a.submission_id
            WHERE s.status = 'current'""",
        """CREATE TABLE task_progress_finite (
            submission_id VARCHAR NOT NULL,
            plan_id VARCHAR NOT NULL,
            task_code VARCHAR NOT NULL,
            unit_code VARCHAR NOT NULL,
            period VARCHAR NOT NULL,
            period_year INTEGER NOT NULL,
            period_key VARCHAR NOT NULL,
            status VARCHAR NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done', 'dropped')),
            progress DOUBLE CHECK (abs(progress) <= 1.7976931348623157e308 AND progress BETWEEN 0 AND 100),
            completed_on DATE,
            result VARCHAR,
            note VARCHAR,
            PRIMARY KEY (submission_id, task_code)
        )""",
        """INSERT INTO task_progress_finite SELECT submission_id, plan_id, task_code, unit_code, period,
            period_year, period_key, status, CASE WHEN abs(progress) <= 1.7976931348623157e308 THEN progress END, completed_on, result,
            note FROM task_progress""",
        "DROP VIEW current_task_progress",
        "DROP TABLE task_progress",
        "ALTER TABLE task_progress_finite RENAME TO task_progress",
        """CREATE VIEW current_task_progress AS
            SELECT p.*, s.illustrative FROM task_progress p JOIN submission s ON s.id = p.submission_id
            WHERE s.status = 'current'""",
    ]),
    # Every product write leaves a numbered journal row carrying this database's identity, so a WAL from another
    # file, a stale one, or one that lost acknowledged writes is caught at open (kpi/db/durability.py).
    (7, "write journal", durability.JOURNAL_SQL),
    # How each target's figures combine over periods and which way its number is better
    # (kpi/rules/aggregation.py, kpi/rules/direction.py). Rows already stored are filled by inference in the
    # same transaction (SEEDERS), flagged for review where it is unsure, as a fresh import would be.
    (8, "target rules", [
        "ALTER TABLE target ADD COLUMN aggregation VARCHAR",
        "ALTER TABLE target ADD COLUMN direction VARCHAR",
    ]),
    # Moments become instants (kpi/clock.py): the columns stay TIMESTAMP and from now on hold UTC; the rows
    # already there, written by the server's naive local clock, are converted by `moments_to_utc`.
    (9, "moments in UTC", []),
    # A snapshot's number is how people cite it in minutes and
    # exports ("ảnh chụp số 3"), so a deleted number is never given again. `max(id) + 1` reused the highest
    # number after it was deleted; the last number handed out is kept here instead, one row, never lowered.
    # Databases made before it start from the highest id still stored: a highest snapshot already deleted
    # under the old code cannot be known any more.
    (10, "snapshot numbers never reused", [
        "CREATE TABLE snapshot_counter (last_id INTEGER NOT NULL)",
        "INSERT INTO snapshot_counter SELECT coalesce(max(id), 0) FROM snapshot",
    ]),
    # A target that restates another (the plan states one measure twice) names it, so roll-ups count the
    # measure once (kpi/engine/attainment.py `_rollup_over`). Stored plans keep NULL: re-import a plan to link.
    (11, "targets that restate another", [
        "ALTER TABLE target ADD COLUMN same_as VARCHAR",
    ]),
    # Who may sign in (kpi/accounts.py): argon2 hashes only, never a password; repeated failures lock the
    # account for a while; a session is a random token of which only the SHA-256 is kept.
    (12, "accounts", [
        """CREATE TABLE account (
            username VARCHAR PRIMARY KEY,
            display_name VARCHAR NOT NULL,
            role VARCHAR NOT NULL CHECK (role IN ('admin', 'leader', 'office', 'unit')),
            org_id VARCHAR,
            unit_code VARCHAR,
            password_hash VARCHAR NOT NULL,
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            locked_until TIMESTAMP,
            disabled BOOLEAN NOT NULL DEFAULT false,
            created_at TIMESTAMP NOT NULL,
            password_changed_at TIMESTAMP NOT NULL
        )""",
        """CREATE TABLE account_session (
            token_sha256 VARCHAR PRIMARY KEY,
            username VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,
            expires_at TIMESTAMP NOT NULL,
            ended BOOLEAN NOT NULL DEFAULT false
        )""",
    ]),
    # Issue 16: roles as the contract names them, the audit trail as a hash chain, the reporting cycle
    # (deadlines, reviews of single submissions, reopening one unit with a reason), commentary and
    # reminders. One migration so the tables of one feature arrive together.
    (13, "roles, audit trail, cycle, commentary, reminders", [
        "ALTER TABLE account RENAME TO account_v12",
        """CREATE TABLE account (
            username VARCHAR PRIMARY KEY,
            display_name VARCHAR NOT NULL,
            role VARCHAR NOT NULL CHECK (role IN ('admin', 'van_phong', 'lanh_dao', 'don_vi')),
            org_id VARCHAR,
            email VARCHAR,
            password_hash VARCHAR NOT NULL,
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            locked_until TIMESTAMP,
            disabled BOOLEAN NOT NULL DEFAULT false,
            created_at TIMESTAMP NOT NULL,
            password_changed_at TIMESTAMP NOT NULL
        )""",
        # A unit account may report for more than one unit (a Phòng that also reports for its Trung tâm).
        """CREATE TABLE account_unit (
            username VARCHAR NOT NULL,
            unit_code VARCHAR NOT NULL,
            PRIMARY KEY (username, unit_code)
        )""",
        """INSERT INTO account SELECT username, display_name,
                CASE role WHEN 'leader' THEN 'lanh_dao' WHEN 'office' THEN 'van_phong' WHEN 'unit' THEN 'don_vi'
                     ELSE role END,
                org_id, NULL, password_hash, failed_attempts, locked_until, disabled, created_at,
                password_changed_at FROM account_v12""",
        "INSERT INTO account_unit SELECT username, unit_code FROM account_v12 WHERE unit_code IS NOT NULL",
        "DROP TABLE account_v12",
        # Every write and every refusal, chained: row_hash = sha256(prev_hash + the row's fields), so a row
        # changed, deleted or inserted behind the product's back breaks the chain (kpi/audit.py verify).
        """CREATE TABLE audit_event (
            seq BIGINT PRIMARY KEY,
            happened_at TIMESTAMP NOT NULL,
            actor VARCHAR NOT NULL,
            role VARCHAR NOT NULL,
            channel VARCHAR NOT NULL,
            action VARCHAR NOT NULL,
            plan_id VARCHAR,
            unit_code VARCHAR,
            period VARCHAR,
            subject VARCHAR,
            sha256 VARCHAR,
            detail VARCHAR,
            prev_hash VARCHAR NOT NULL,
            row_hash VARCHAR NOT NULL
        )""",
        # The review of one submission: submitted -> approved or returned (with the office's comment).
        "ALTER TABLE submission ADD COLUMN review VARCHAR DEFAULT 'submitted'",
        "ALTER TABLE submission ADD COLUMN reviewed_by VARCHAR",
        "ALTER TABLE submission ADD COLUMN reviewed_at TIMESTAMP",
        "ALTER TABLE submission ADD COLUMN review_comment VARCHAR",
        "UPDATE submission SET review = 'submitted' WHERE review IS NULL",
        # Per plan and period: the day reports are due and the days of grace after it; without a row the
        # plan's own rule (kpi/periods.py report_deadline) and no grace.
        """CREATE TABLE period_deadline (
            plan_id VARCHAR NOT NULL,
            period VARCHAR NOT NULL,
            due DATE NOT NULL,
            grace_days INTEGER NOT NULL DEFAULT 0,
            set_by VARCHAR,
            set_at TIMESTAMP NOT NULL,
            PRIMARY KEY (plan_id, period)
        )""",
        "ALTER TABLE period_exception ADD COLUMN reason VARCHAR",
        # Commentary: a unit's explanation of a target's figure (overrides the template's note column when
        # written on the page) and the office's comment on an area, per period.
        """CREATE TABLE target_explanation (
            plan_id VARCHAR NOT NULL,
            period VARCHAR NOT NULL,
            unit_code VARCHAR NOT NULL,
            target_code VARCHAR NOT NULL,
            note VARCHAR NOT NULL,
            written_by VARCHAR NOT NULL,
            written_at TIMESTAMP NOT NULL,
            PRIMARY KEY (plan_id, period, unit_code, target_code)
        )""",
        """CREATE TABLE area_comment (
            plan_id VARCHAR NOT NULL,
            period VARCHAR NOT NULL,
            area_code VARCHAR NOT NULL,
            comment VARCHAR NOT NULL,
            written_by VARCHAR NOT NULL,
            written_at TIMESTAMP NOT NULL,
            PRIMARY KEY (plan_id, period, area_code)
        )""",
        """CREATE TABLE reminder (
            id VARCHAR PRIMARY KEY,
            sent_at TIMESTAMP NOT NULL,
            plan_id VARCHAR NOT NULL,
            period VARCHAR NOT NULL,
            unit_code VARCHAR NOT NULL,
            address VARCHAR,
            kind VARCHAR NOT NULL CHECK (kind IN ('before', 'after')),
            outcome VARCHAR NOT NULL CHECK (outcome IN ('sent', 'failed', 'no_address', 'dry_run')),
            error VARCHAR,
            sent_by VARCHAR NOT NULL
        )""",
    ]),
    # Several processes may write one PostgreSQL database: every write transaction first bumps this one row,
    # which puts writers in one order (kpi/db/connection.py `transaction`). Accepted uploads' original files
    # live in `original_file` on PostgreSQL (every app server must reach them); beside the file on DuckDB.
    (14, "writers in one order; original files in the database", [
        """CREATE TABLE write_lock (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            taken BIGINT NOT NULL
        )""",
        "INSERT INTO write_lock VALUES (1, 0)",
        """CREATE TABLE original_file (
            sha256 VARCHAR PRIMARY KEY,
            data BLOB NOT NULL,
            kept_at TIMESTAMP NOT NULL
        )""",
    ]),
    # The order in which the plan names a target's or task's units ("Chủ trì: A, B; phối hợp: C, D") was kept
    # only as the order the rows were inserted (rowid). PostgreSQL keeps no such order (read back through the
    # extension, VII.4's coordinating units of Thanh Hóa 2021 came back as «PBCQ, DVTT»): it is now a column.
    # Existing rows are numbered in their stored order: the insertion order on the embedded file; on a
    # PostgreSQL database the physical order, which a plan imported again restores to the plan's.
    (15, "units of a target or task in the plan's order", [
        "ALTER TABLE target_unit ADD COLUMN position INTEGER",
        "ALTER TABLE task_unit ADD COLUMN position INTEGER",
    ]),
]
LATEST_VERSION = MIGRATIONS[-1][0]


def view_names() -> set[str]:
    """The views the migrations make (the postgres extension lists PostgreSQL's views among its tables)."""
    return {match.group(1) for _, _, statements in MIGRATIONS for statement in statements
            for match in [re.match(r"\s*CREATE VIEW (\w+)", statement)] if match}

SEEDERS = {1: reference.seed_areas, 2: reference.seed_period_kinds, 7: durability.seed_table,
           8: reference.infer_target_rules, 13: lambda con: _chain_old_audit(con),
           15: lambda con: _number_unit_links(con)}  # fill reference tables in their migration

# Every moment column that `datetime.now()` filled in the server's zone before migration 9. Not
# write_journal.written_at: the journal wrote UTC from its first row.
LOCAL_MOMENTS = (("plan", "imported_at"), ("submission", "submitted_at"), ("audit", "happened_at"),
                 ("period_lock", "changed_at"), ("period_exception", "granted_at"), ("snapshot", "created_at"),
                 ("snapshot_submission", "submitted_at"))


def moments_to_utc(con: duckdb.DuckDBPyConnection, migrated_before: int) -> None:
    """Migration 9: read every stored moment as the server's local time (its zone now, TZ or /etc/localtime)
    and store it as UTC. The conversion is Python's (`clock.server_local_to_utc`, daylight saving included),
    so the distinct values are mapped once and the rows updated in place: the type does not change, so no
    table is rebuilt and no view has to be dropped. `schema_version` rows are converted only up to
    `migrated_before`: the rows this run has just written are UTC already."""
    targets = [(table, column, "") for table, column in LOCAL_MOMENTS]
    targets.append(("schema_version", "applied_at", f" AND version <= {int(migrated_before)}"))
    for table, column, only in targets:
        olds = [row[0] for row in con.execute(
            f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL{only}").fetchall()]
        if not olds:
            continue
        shift = pd.DataFrame({"old": olds, "new": [clock.server_local_to_utc(old) for old in olds]})
        con.register("moment_shift", shift)
        try:
            con.execute(f"UPDATE {table} SET {column} = moment_shift.new FROM moment_shift "
                        f"WHERE {table}.{column} = moment_shift.old{only}")
        finally:
            con.unregister("moment_shift")


CONVERSIONS = {9: moments_to_utc}  # rewrite stored rows in their migration; told the version the run began at


def _chain_old_audit(con: duckdb.DuckDBPyConnection) -> None:
    """Migration 13: the upload events recorded before the audit trail existed join its chain, in order."""
    from kpi import audit
    audit.chain_legacy_uploads(con)


def _has_schema_version(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version' "
        "AND table_catalog = current_database() AND table_schema = current_schema()"
    ).fetchone()[0])


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    if not _has_schema_version(con):
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every pending migration, each in its own transaction. Re-running is a no-op."""
    from kpi.problems import KpiError

    if not _has_schema_version(con):  # not "IF NOT EXISTS": PostgreSQL asks the application role for CREATE
        con.execute(
            """CREATE TABLE schema_version (
                version INTEGER PRIMARY KEY,
                name VARCHAR NOT NULL,
                applied_at TIMESTAMP NOT NULL
            )"""
        )
    version = current_version(con)
    if version > LATEST_VERSION:
        raise KpiError("database_newer", path="", found=version, supported=LATEST_VERSION)
    for number, name, statements in MIGRATIONS:
        if number <= version:
            continue
        with transaction(con, action=None):
            for statement in statements:
                try:
                    con.execute(statement)
                except duckdb.Error as exc:
                    # PostgreSQL's application role, not the owner: "permission denied" to create a table,
                    # "must be owner of table" to alter one
                    if re.search(r"permission denied|must be owner of", str(exc), re.I):
                        raise KpiError("migration_not_permitted", version=number, name=name) from exc
                    raise
            if number in SEEDERS:
                SEEDERS[number](con)
            if number in CONVERSIONS:
                CONVERSIONS[number](con, version)
            con.execute(
                "INSERT INTO schema_version VALUES (?, ?, ?)",
                [number, name, clock.to_storage(clock.now())],
            )
    return current_version(con)


def _number_unit_links(con: duckdb.DuckDBPyConnection) -> None:
    """Migration 15: each target's and task's unit rows numbered 1, 2, … in the order they are stored."""
    for table, group in (("target_unit", ["target_code"]), ("task_unit", ["task_code", "role"])):
        keys = ["plan_id", *group, "unit_code"]
        rows = con.execute(f"SELECT {', '.join(keys)} FROM {table} ORDER BY rowid").fetchall()
        if not rows:
            continue
        counts: dict[tuple, int] = {}
        numbered = []
        for row in rows:
            counts[row[:-1]] = counts.get(row[:-1], 0) + 1
            numbered.append((*row, counts[row[:-1]]))
        con.register("numbered_links", pd.DataFrame(numbered, columns=[*keys, "position"]))
        try:
            match = " AND ".join(f"{table}.{column} = n.{column}" for column in keys)
            con.execute(f"UPDATE {table} SET position = n.position FROM numbered_links n WHERE {match}")
        finally:
            con.unregister("numbered_links")
