"""Synthetic databases for the engine benchmark: deterministic, generated in SQL.

province: 20 departments × 15 units × 80 targets × 5 years × 4 quarters =    480.000 actual rows
national: 420 departments × 15 units × 80 targets × 5 years × 4 quarters = 10.080.000 actual rows
Targets: 70% ratio "≥ 90–99%", 15% ratio "≤ 5%", 15% additive value "≥ N"; every unit reports every
target every quarter except one report in 25 (late units). No tasks: the benchmark measures the target
path, where the rows are.

Built in blocks of BLOCK departments, one transaction and one checkpoint each, under the product's own
`memory_limit` (1 GB, KPI_MEMORY_LIMIT), so a build needs the memory of one block (under 64 MB) whatever the
scale. As one statement the national build ran out of memory: a transaction keeps the primary-key index (ART)
of the rows it inserts in memory until it commits (about 57 bytes a row, over 500 MB for the national rows),
merges it into the table's index on commit, and an index cannot spill to disk; only a checkpoint writes it out
and lets it leave memory. Every figure is computed from its own keys (`hash(submission, target)`), so the data
is the same whatever the block size.
"""
from __future__ import annotations

import time
from pathlib import Path

from kpi import db

SCALES = {"province": 20, "national": 420}
UNITS, TARGETS, YEARS, QUARTERS = 15, 80, range(2019, 2024), 4
BLOCK = 10  # departments per transaction: 10 × 15 units × 80 targets × 20 quarters = 240.000 figure rows


def built(folder: Path, scale: str) -> Path:
    """The scale's database in `folder`, built first when missing (reused otherwise: national takes minutes)."""
    path = folder / f"{scale}.duckdb"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        build(path, SCALES[scale])
        print(f"[{scale}] built {path.name} in {time.perf_counter() - start:.1f} s", flush=True)
    return path


def build(path: Path, organisations: int, block: int = BLOCK) -> Path:
    if path.exists():
        path.unlink()
    con = db.connect(path)
    try:
        for first in range(0, organisations, block):
            with db.transaction(con, action=None):  # a bench fixture, not a product write: no journal
                _build_block(con, first, min(first + block, organisations))
            con.execute("CHECKPOINT")  # writes the block's index out, so it may leave memory
    finally:
        con.close()
    return path


def _build_block(con, first: int, stop: int) -> None:
    """Departments o{first} … o{stop - 1} with everything under them."""
    orgs = f"range({first}, {stop}) a(o)"
    years = f"range({YEARS.start}, {YEARS.stop})"
    block_plans = f"(SELECT * FROM plan WHERE org_id IN (SELECT 'o' || o FROM {orgs}))"
    con.execute(f"""INSERT INTO organisation SELECT 'o' || o, 'Sở thử ' || o, 'Tỉnh ' || (o % 63), 'Y tế', NULL
                    FROM {orgs}""")
    con.execute(f"""INSERT INTO unit SELECT 'o' || o, CASE WHEN u = 0 THEN 'VPS' ELSE 'U' || u END,
                    'Đơn vị ' || u, CASE WHEN u = 0 THEN 'office' ELSE 'subordinate' END
                    FROM {orgs}, range({UNITS}) b(u)""")
    con.execute(f"""INSERT INTO plan (id, org_id, year, imported_at)
                    SELECT 'o' || o || '-' || y, 'o' || o, y, now()::TIMESTAMP
                    FROM {orgs}, {years} b(y)""")
    con.execute(f"""INSERT INTO target (plan_id, code, seq, area_code, text, comparator, value, unit_of_measure,
                        kind, stated_in, deadline_kind, flags, aggregation, direction)
                    SELECT p.id, 'T' || lpad(k::VARCHAR, 2, '0'), k + 1,
                           (SELECT code FROM area WHERE sort_order = 1 + k % 7),
                           'Chỉ tiêu ' || k,
                           CASE WHEN k % 20 < 14 THEN '>=' WHEN k % 20 < 17 THEN '<=' ELSE '>=' END,
                           CASE WHEN k % 20 < 14 THEN 90 + k % 10 WHEN k % 20 < 17 THEN 5 ELSE 400 + 10 * k END,
                           CASE WHEN k % 20 < 17 THEN '%' ELSE 'hồ sơ' END,
                           CASE WHEN k % 20 < 17 THEN 'ratio' ELSE 'value' END,
                           'body', 'none', '',
                           CASE WHEN k % 20 < 17 THEN 'ratio' ELSE 'sum' END,  -- rates and flows (docs/kpi.md)
                           CASE WHEN k % 20 >= 14 AND k % 20 < 17 THEN 'lower' ELSE 'higher' END
                    FROM {block_plans} p, range({TARGETS}) t(k)""")
    con.execute(f"""INSERT INTO target_unit SELECT t.plan_id, t.code, p.org_id, u.code,
                           row_number() OVER (PARTITION BY t.plan_id, t.code ORDER BY u.code)
                    FROM {block_plans} p JOIN target t ON t.plan_id = p.id JOIN unit u ON u.org_id = p.org_id""")
    con.execute(f"""INSERT INTO submission (id, plan_id, org_id, unit_code, period, period_year, period_key, source,
                        illustrative, submitted_by, submitted_at, file_name, sha256, rows, status, note)
                    SELECT p.id || '/' || u.code || '/' || q, p.id, p.org_id, u.code, p.year || '-Q' || q, p.year,
                           'Q' || q, 'import', false, 'bench', now()::TIMESTAMP, NULL, NULL, {TARGETS}, 'current', NULL
                    FROM {block_plans} p JOIN unit u ON u.org_id = p.org_id, range(1, {QUARTERS + 1}) r(q)""")
    # h and d come from nested selects, not LATERAL subqueries: DuckDB decorrelates a LATERAL with delim joins,
    # which first materialise every row of the statement and group it on (submission, target), spilling to disk.
    con.execute(f"""INSERT INTO actual
                    SELECT id, plan_id, code, unit_code, period, period_year, period_key,
                           CASE WHEN kind = 'ratio' THEN d - CASE WHEN comparator = '<=' THEN d - h % 9
                                ELSE h % (d // 12 + 1) END END,
                           CASE WHEN kind = 'ratio' THEN d END,
                           CASE WHEN kind = 'value' THEN 20 + h % 20 END,
                           NULL, NULL, NULL, NULL
                    FROM (SELECT *, 20 + (h // 7) % 300 AS d
                          FROM (SELECT s.id, t.plan_id, t.code, s.unit_code, s.period, s.period_year, s.period_key,
                                       t.kind, t.comparator, hash(s.id, t.code) AS h
                                FROM submission s JOIN target t ON t.plan_id = s.plan_id
                                WHERE s.plan_id IN (SELECT id FROM {block_plans})
                                  AND t.plan_id IN (SELECT id FROM {block_plans})))
                    WHERE h % 25 <> 0""")
