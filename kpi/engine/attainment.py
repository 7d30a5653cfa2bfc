"""Attainment as SQL: reports -> unit figures -> target figures -> roll-ups (docs/kpi.md).

Rules that naive dashboards get wrong, and where they live here:
- each target's figures combine over the quarters and its units by its own rule (kpi/rules/aggregation.py):
  a flow adds up, a ratio is Σ numerators / Σ denominators (never the mean of percentages), a rank or
  a stock is the latest report's (`_unit_figures`);
- a longer period is built from the longest report that starts where it starts plus the quarters after
  it (`_chosen_reports`): a 9-month view uses a unit's 6-month report plus its Q3 report, and never counts
  a quarter twice;
- a missing report is "no data": it lowers coverage, never attainment, and is never scored as 0 or as met;
  coverage is one rule everywhere: units whose reports cover the period / units expected; a roll-up below
  data/scoring.yaml min_coverage is "insufficient" (kpi/rules/status.py);
- an ongoing task ("Thường xuyên", kind `recurring`) is due at the year's end, so it is never overdue before
  then; a per-period one ("Hằng quý", kind `periodic`) is due at the end of every period (docs/deadlines.md);
- roll-ups average capped attainments with the targets' weights (equal by default); a target that restates
  another (`same_as`) keeps its own row but is left out of roll-ups and counts, so one measure counts once.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from kpi import text
from kpi.db import read_cache
from kpi.engine.config import scoring
from kpi.periods import Period
from kpi.problems import KpiError
from kpi.rules import aggregation, comparators, status
from kpi.scope import Scope

BY_LEVELS = ("plan", "area", "unit", "target", "task")


@dataclass(frozen=True)
class _Plans:
    """Which plans a query reads: one (the parameter `$plan`) or every plan.

    Each base table is filtered on its own plan column rather than only through the join with `scope`: a
    condition on the scanned table itself reaches the scan, so DuckDB skips other plans' row groups and, on
    PostgreSQL, the condition is sent to the server instead of every plan's rows being pulled through the
    attachment (docs/performance.md, «PostgreSQL»)."""
    one: bool

    def on(self, alias: str, column: str = "plan_id") -> str:
        return f"{alias}.{column} = $plan" if self.one else "true"


ONE_PLAN, ALL_PLANS = _Plans(True), _Plans(False)


def _scope_sql(plans: _Plans) -> str:
    # One row per plan in scope: the plan's year, the quarters of the period, its end and the as-of date.
    return f"""scope AS (
        SELECT p.id AS plan_id, p.org_id, p.year, CAST($fq AS INTEGER) AS fq, CAST($lq AS INTEGER) AS lq,
               last_day(make_date(p.year, CAST($lq AS INTEGER) * 3, 1)) AS period_end,
               coalesce(CAST($as_of AS DATE), last_day(make_date(p.year, CAST($lq AS INTEGER) * 3, 1))) AS as_of
        FROM plan p WHERE {plans.on("p", "id")})"""


# Which reports make up the period, decided per unit and submission (a unit reports every target it
# answers for in one submission): the longest report starting where the period starts, plus the quarter
# reports after it. Deciding on the few submissions, not the many figure rows, keeps this cheap.
def _chosen_reports(plans: _Plans) -> str:
    return f"""
    sub AS (
        SELECT s.id, s.plan_id, s.unit_code, s.illustrative, k.first_quarter AS rfq, k.last_quarter AS rlq,
               sc.fq, sc.lq
        FROM submission s
        JOIN scope sc ON sc.plan_id = s.plan_id AND s.period_year = sc.year
        JOIN period_kind k ON k.key = s.period_key
        WHERE s.status = 'current' AND k.first_quarter >= sc.fq AND k.last_quarter <= sc.lq AND {plans.on("s")}
          AND (NOT $approved OR s.review = 'approved')),  -- the scope's basis: every report, or approved ones
    prefix AS (
        SELECT plan_id, unit_code, max(rlq) AS plq FROM sub WHERE rfq = fq GROUP BY ALL),
    chosen AS (
        SELECT sub.* FROM sub LEFT JOIN prefix x USING (plan_id, unit_code)
        WHERE (sub.rfq = sub.fq AND sub.rlq = x.plq)
           OR (sub.rfq = sub.rlq AND sub.rfq > coalesce(x.plq, sub.fq - 1))),
    rep AS {"MATERIALIZED" if plans.one else "NOT MATERIALIZED"} (
        SELECT a.plan_id, a.target_code, a.unit_code, a.numerator, a.denominator, a.value, a.done,
               a.baseline, c.rlq, c.rlq - c.rfq + 1 AS quarters, c.illustrative
        FROM actual a JOIN chosen c ON c.id = a.submission_id WHERE {plans.on("a")})"""


def _targets(plans: _Plans) -> str:
    return f"""
    tgt AS (
        SELECT t.plan_id, t.code, t.seq, t.area_code, t.text, t.kind, t.comparator, t.unit_of_measure,
               coalesce(t.weight, 1.0) AS weight, t.indicator_key, t.value AS stated_value,
               coalesce(rc.resolved_value, t.value) AS target_value,
               CASE WHEN uc.target_code IS NOT NULL THEN uc.appendix_value END AS other_value,
               uc.target_code IS NOT NULL AS in_conflict,
               s.fq, s.lq, s.year, s.org_id, t.aggregation, t.direction, t.direction = 'lower' AS lower_better,
               t.same_as
        FROM target t JOIN scope s ON s.plan_id = t.plan_id
        LEFT JOIN target_conflict rc ON rc.plan_id = t.plan_id AND rc.target_code = t.code
             AND rc.field = 'value' AND rc.status = 'resolved' AND {plans.on("rc")}
        LEFT JOIN (SELECT plan_id, target_code, max(appendix_value) AS appendix_value FROM target_conflict c
                   WHERE status = 'unresolved' AND {plans.on("c")} GROUP BY ALL) uc
             ON uc.plan_id = t.plan_id AND uc.target_code = t.code
        WHERE {plans.on("t")})"""


def _measure() -> str:
    """Columns goal and actual from summed figures (kind, unit_of_measure, target_value, num, den, val,
    done_share). A ratio target "≥ 96%" has goal 0,96: rates are fractions."""
    return """
        CASE WHEN kind = 'ratio' AND unit_of_measure = '%' THEN target_value / 100.0 ELSE target_value END
            AS goal,
        CASE kind WHEN 'ratio' THEN CASE WHEN den > 0 THEN num / den END
                  WHEN 'value' THEN val
                  ELSE done_share END AS actual"""


def _judge() -> str:
    """Columns attainment_raw and met from goal, actual, comparator, baseline, lower_better.

    Built from the comparator table (kpi/rules/comparators.py), which holds each comparator's SQL form.
    """
    return f"""
        {comparators.attainment_sql()} AS attainment_raw,
        {comparators.met_sql()} AS met"""


def _figures(by_unit: bool, plans: _Plans) -> str:
    """CTE `fig`: one row per target (or per target and unit): its figures for the period, combined over the
    quarters and the units by the target's aggregation rule (kpi/rules/aggregation.py), and for `latest` the
    latest quarter with a figure. A rate's baseline is weighted by its denominators; other baselines follow
    the rule.

    The additive rules (rates, flows: nearly every row) are plain sums, grouped straight to the answer; only
    the other rules (levels, means, extremes, yes/no) go through one row per unit first. Evaluating every
    rule's aggregates over every report row cost 3–4× the whole target query (bench/bench_engine.py)."""
    weight = "coalesce(denominator, 1.0)"
    additive = ", ".join(f"'{key}'" for key in aggregation.ADDITIVE)
    others = tuple(a.key for a in aggregation.AGGREGATIONS if a.key not in aggregation.ADDITIVE)
    rule, units = (lambda x: aggregation.periods_sql(x, others)), (lambda x: aggregation.units_sql(x, others))
    unit_key = ", unit_code" if by_unit else ""
    g_unit_key = ", g.unit_code" if by_unit else ""
    # The rule and kind are per target: the report rows are grouped first and joined to their targets after
    # (168.000 groups at national scale, not 9,7 M rows).
    flows = f"""
        SELECT g.plan_id, g.target_code{g_unit_key}, g.num, g.den, g.val, NULL::DOUBLE AS done_share,
               CASE WHEN t.kind = 'ratio' THEN g.base_wsum / nullif(g.base_w, 0) ELSE g.base_sum END AS baseline,
               NULL::INTEGER AS latest_q, g.illustrative
        FROM grouped g JOIN target t ON t.plan_id = g.plan_id AND t.code = g.target_code
        WHERE t.aggregation IN ({additive}) AND {plans.on("t")}"""
    per_unit = f"""
        SELECT plan_id, target_code, unit_code, aggregation, kind,
               {rule('numerator')} AS num, {rule('denominator')} AS den, {rule('value')} AS val,
               {rule('CAST(done AS DOUBLE)')} AS done_v, {rule('baseline')} AS base,
               arg_max({weight}, rlq) FILTER (WHERE baseline IS NOT NULL) AS base_w,
               max(rlq) FILTER (WHERE coalesce(numerator, value, CAST(done AS DOUBLE)) IS NOT NULL) AS latest_q,
               bool_or(illustrative) AS illustrative
        FROM ruled GROUP BY plan_id, target_code, unit_code, aggregation, kind"""
    levels = """
        SELECT plan_id, target_code, unit_code, num, den, val, done_v, base, latest_q, illustrative
        FROM levels""" if by_unit else f"""
        SELECT plan_id, target_code, {units('num')}, {units('den')}, {units('val')}, {units('done_v')},
               CASE WHEN kind = 'ratio' THEN sum(base * base_w) / nullif(sum(base_w) FILTER (WHERE base IS NOT NULL), 0)
                    ELSE {units('base')} END,
               max(latest_q), bool_or(illustrative)
        FROM levels GROUP BY plan_id, target_code, aggregation, kind"""
    return f"""
    grouped AS (
        SELECT plan_id, target_code{unit_key}, sum(numerator) AS num, sum(denominator) AS den, sum(value) AS val,
               sum(baseline * {weight}) AS base_wsum, sum({weight}) FILTER (WHERE baseline IS NOT NULL) AS base_w,
               sum(baseline) AS base_sum, bool_or(illustrative) AS illustrative
        FROM rep GROUP BY plan_id, target_code{unit_key}),
    ruled AS NOT MATERIALIZED (  -- only the rows of targets whose rule is not a plain sum
        SELECT r.*, t.aggregation, t.kind FROM rep r
        JOIN target t ON t.plan_id = r.plan_id AND t.code = r.target_code
        WHERE t.aggregation NOT IN ({additive}) AND {plans.on("t")}),
    levels AS ({per_unit}),
    fig AS ({flows}
        UNION ALL {levels})"""


def _target_sql(plans: _Plans, by_unit: bool = False) -> str:
    """Target rows (or, with by_unit, one row per target and unit that reported or is expected to).

    Figures by the target's rule (`_figures`). Coverage = reporters whose reports cover every quarter of the
    period / reporters expected (the one coverage rule, `_unit_coverage_sql`).
    """
    keys = "plan_id, target_code, unit_code" if by_unit else "plan_id, target_code"
    r_keys = ", ".join("r." + k for k in keys.split(", "))
    on_unit = (lambda alias: f"AND {alias}.unit_code = k.unit_code") if by_unit else (lambda alias: "")
    units = ("JOIN (SELECT plan_id, target_code, unit_code FROM fig UNION SELECT plan_id, target_code, unit_code "
             "FROM expected) k ON k.plan_id = t.plan_id AND k.target_code = t.code") if by_unit else ""
    return f"""
    WITH {_scope_sql(plans)},
    {_chosen_reports(plans)},
    {_targets(plans)},
    {_figures(by_unit, plans)},
    ucov AS (SELECT plan_id, unit_code, sum(rlq - rfq + 1) AS quarters FROM chosen GROUP BY ALL),
    covering AS (  -- the coverage rule of `_unit_coverage_sql`: units whose reports cover the period
        SELECT u.plan_id, u.unit_code FROM ucov u JOIN scope s ON s.plan_id = u.plan_id
        WHERE u.quarters >= s.lq - s.fq + 1),
    expected AS (  -- decided once per unit above, then counted over the many (target, unit) reporter rows
        SELECT {r_keys}, count(*) AS n_expected, count(c.unit_code) AS n_reported
        FROM target_reporter r LEFT JOIN covering c ON c.plan_id = r.plan_id AND c.unit_code = r.unit_code
        WHERE {plans.on("r")} AND r.plan_id IN (SELECT plan_id FROM scope) GROUP BY ALL),
    summed AS (
        SELECT t.*, {"k.unit_code," if by_unit else ""} f.num, f.den, f.val, f.baseline, f.done_share, f.latest_q,
               coalesce(e.n_reported, 0) AS n_reported, coalesce(e.n_expected, 0) AS n_expected,
               coalesce(f.illustrative, false) AS illustrative
        FROM tgt t {units}
        LEFT JOIN fig f ON f.plan_id = t.plan_id AND f.target_code = t.code {on_unit("f")}
        LEFT JOIN expected e ON e.plan_id = t.plan_id AND e.target_code = t.code {on_unit("e")}),
    measured AS (SELECT *, {_measure()} FROM summed),
    judged AS (SELECT *, {_judge()} FROM measured)
    SELECT plan_id, code, seq, area_code, text, kind, comparator, unit_of_measure, weight,
           indicator_key, aggregation, direction, lower_better, target_value, other_value, in_conflict, goal,
           {"unit_code," if by_unit else ""}
           num AS numerator, den AS denominator,
           CASE WHEN kind = 'ratio' THEN actual END AS rate,
           actual, baseline, attainment_raw, met,
           {status.target_status_sql("attainment_raw", "met")} AS status,
           CASE WHEN aggregation = 'latest' THEN latest_q END AS latest_quarter, year,
           n_expected,
           CASE WHEN n_expected > 0 THEN n_reported * 1.0 / n_expected END AS coverage,
           n_reported AS covered, n_expected AS expected,
           illustrative, same_as
    FROM judged
    ORDER BY plan_id, seq"""


def _task_sql(plans: _Plans, by_unit: bool = False) -> str:
    """Task rows (or one row per task and lead unit): state, score, coverage at the as-of date."""
    s = scoring()
    unit_key = ", r.unit_code" if by_unit else ""
    return f"""
    WITH {_scope_sql(plans)},
    trep AS (
        SELECT p.plan_id, p.task_code, p.unit_code, p.status, p.progress, p.completed_on, p.illustrative,
               k.first_quarter AS rfq, k.last_quarter AS rlq, s.year
        FROM current_task_progress p
        JOIN scope s ON s.plan_id = p.plan_id AND p.period_year = s.year
        JOIN period_kind k ON k.key = p.period_key
        JOIN task t ON t.plan_id = p.plan_id AND t.code = p.task_code
        WHERE k.last_quarter <= s.lq AND {plans.on("p")} AND {plans.on("t")}
          AND (NOT $approved OR EXISTS (SELECT 1 FROM submission x WHERE x.id = p.submission_id
                                                                    AND x.review = 'approved'))
          -- an ongoing or per-period task answers for this period only
          AND (t.deadline_kind NOT IN ('recurring', 'periodic') OR k.first_quarter >= s.fq)),
    latest AS (
        SELECT * FROM (
            SELECT *, row_number() OVER (PARTITION BY plan_id, task_code, unit_code
                                         ORDER BY rlq DESC, rfq ASC) AS pick
            FROM trep) WHERE pick = 1),
    tk AS (
        SELECT k.plan_id, k.code, k.seq, k.area_code, k.text, k.deadline_kind, k.deadline_text,
               CASE k.deadline_kind WHEN 'periodic' THEN s.period_end
                                    WHEN 'recurring' THEN make_date(s.year, 12, 31)
                                    ELSE k.due_date END AS due,
               s.as_of, s.period_end
        FROM task k JOIN scope s ON s.plan_id = k.plan_id WHERE {plans.on("k")}),
    agg AS (
        SELECT tk.plan_id, tk.code, tk.seq, tk.area_code, tk.text, tk.deadline_kind, tk.deadline_text, tk.due,
               tk.as_of{unit_key},
               count(DISTINCT r.unit_code) AS n_expected,
               count(DISTINCT l.unit_code) AS n_reported,
               count(DISTINCT l.unit_code) FILTER (WHERE l.status = 'done') AS n_done,
               count(DISTINCT l.unit_code) FILTER (WHERE l.status = 'dropped') AS n_dropped,
               count(DISTINCT l.unit_code) FILTER (WHERE l.status IN ('in_progress', 'done')) AS n_active,
               max(coalesce(l.completed_on, last_day(make_date(l.year, l.rlq * 3, 1))))
                   FILTER (WHERE l.status = 'done') AS completed_on,
               avg(CASE WHEN l.status = 'done' THEN 100.0 ELSE l.progress END) AS progress,
               coalesce(bool_or(l.illustrative), false) AS illustrative
        FROM tk LEFT JOIN task_reporter r ON r.plan_id = tk.plan_id AND r.task_code = tk.code AND {plans.on("r")}
        LEFT JOIN latest l ON l.plan_id = tk.plan_id AND l.task_code = tk.code AND l.unit_code = r.unit_code
        GROUP BY ALL),
    judged AS (
        SELECT *,
            CASE WHEN n_reported = 0 THEN 'no_data'
                 WHEN n_dropped = n_reported THEN 'dropped'
                 WHEN n_done > 0 AND n_done = n_reported - n_dropped AND n_reported >= n_expected THEN
                      CASE WHEN due IS NULL OR completed_on <= due THEN 'done_on_time' ELSE 'done_late' END
                 WHEN due IS NOT NULL AND due <= as_of THEN 'overdue'
                 WHEN n_active > 0 THEN CASE WHEN due IS NULL THEN 'in_progress' ELSE 'on_track' END
                 ELSE 'not_started' END AS state,
            (due IS NOT NULL AND due <= as_of) AS is_due
        FROM agg)
    SELECT *,
        CASE state WHEN 'done_on_time' THEN {s.done_on_time} WHEN 'done_late' THEN {s.done_late}
                   WHEN 'overdue' THEN {s.overdue} WHEN 'dropped' THEN {s.dropped} END AS score,
        (is_due OR state IN ('done_on_time', 'done_late', 'dropped')) AS assessed
    FROM judged ORDER BY plan_id, seq"""


def _unit_coverage_sql(plans: _Plans) -> str:
    """One row per plan, area and unit answerable there (a target's reporter or a task's lead): whether the
    unit's reports cover every quarter of the period. This is the one coverage rule: a roll-up's coverage is
    its units that reported ÷ its units expected ("4/5 đơn vị đã báo cáo"); a unit that sent Q1 and Q2 for a
    9-month view has not reported for it yet."""
    return f"""
    WITH {_scope_sql(plans)},
    {_chosen_reports(plans)},
    answerable AS (
        SELECT r.plan_id, t.area_code, r.unit_code FROM target_reporter r
        JOIN target t ON t.plan_id = r.plan_id AND t.code = r.target_code JOIN scope s ON s.plan_id = r.plan_id
        WHERE {plans.on("r")} AND {plans.on("t")}
        UNION
        SELECT r.plan_id, k.area_code, r.unit_code FROM task_reporter r
        JOIN task k ON k.plan_id = r.plan_id AND k.code = r.task_code JOIN scope s ON s.plan_id = r.plan_id
        WHERE {plans.on("r")} AND {plans.on("k")}),
    covered AS (SELECT plan_id, unit_code, sum(rlq - rfq + 1) AS quarters FROM chosen GROUP BY ALL)
    SELECT a.plan_id, a.area_code, a.unit_code, coalesce(c.quarters, 0) >= s.lq - s.fq + 1 AS reported
    FROM answerable a JOIN scope s ON s.plan_id = a.plan_id
    LEFT JOIN covered c ON c.plan_id = a.plan_id AND c.unit_code = a.unit_code"""


def _rollup_sql(plans: _Plans, level: str) -> str:
    """Roll targets and assessed tasks up to area, plan or unit (one self-contained query)."""
    by_unit = level == "unit"
    targets = _target_sql(plans, by_unit).replace("ORDER BY plan_id, seq", "")
    tasks = _task_sql(plans, by_unit).replace("ORDER BY plan_id, seq", "")
    return _rollup_over(level, f"({targets})", f"({tasks})", f"({_unit_coverage_sql(plans)})")


def _rollup_over(level: str, trows: str, krows: str, urows: str) -> str:
    """Roll-up SQL over target rows, task rows and unit coverage rows given as subqueries or registered
    relations.

    Weighted mean of capped attainments of the targets with data and the assessed tasks; coverage from
    the units answerable at that level (`_unit_coverage_sql`), the same for the plan, an area and a unit.
    """
    cap = scoring().rollup_cap
    keys = {"plan": "plan_id", "area": "plan_id, area_code", "unit": "plan_id, unit_code",
            "unit_area": "plan_id, unit_code, area_code"}[level]
    joined = " AND ".join(f"a.{k} = c.{k}" for k in keys.split(", "))
    return f"""
    WITH items AS (
        SELECT {keys}, 'target' AS item, weight,
               -- least() skips NULLs in DuckDB: a target with no data must stay NULL, never 1,0
               CASE WHEN attainment_raw IS NOT NULL THEN least(attainment_raw, {cap}) END AS att,
               status = 'met' AS met, illustrative, false AS overdue
        -- a target restating another (same_as) is the same measure: counted once, as the one it restates
        FROM {trows} AS trows WHERE same_as IS NULL
        UNION ALL
        SELECT {keys}, 'task', 1.0, score, state = 'done_on_time', illustrative, state = 'overdue'
        FROM {krows} AS krows WHERE assessed),
    agg AS (
    SELECT {keys},
        count(*) FILTER (WHERE item = 'target') AS targets,
        count(att) FILTER (WHERE item = 'target') AS targets_with_data,
        count(*) FILTER (WHERE item = 'target' AND met) AS targets_met,
        count(*) FILTER (WHERE item = 'task') AS tasks_assessed,
        count(att) FILTER (WHERE item = 'task') AS tasks_with_data,
        count(*) FILTER (WHERE item = 'task' AND met) AS tasks_done_on_time,
        count(*) FILTER (WHERE item = 'task' AND overdue) AS tasks_overdue,
        sum(weight * att) FILTER (WHERE item = 'target') / nullif(sum(weight) FILTER
            (WHERE item = 'target' AND att IS NOT NULL), 0) AS target_attainment,
        avg(att) FILTER (WHERE item = 'task') AS task_attainment,
        sum(weight * att) / nullif(sum(weight) FILTER (WHERE att IS NOT NULL), 0) AS attainment,
        count(*) FILTER (WHERE met) * 1.0 / nullif(count(att), 0) AS actual,
        coalesce(bool_or(illustrative), false) AS illustrative
    FROM items GROUP BY ALL),
    cov AS (
        SELECT {keys}, count(DISTINCT unit_code) AS units_expected,
               count(DISTINCT unit_code) FILTER (WHERE reported) AS units_reported
        FROM {urows} AS urows GROUP BY ALL)
    SELECT a.*, coalesce(c.units_expected, 0) AS units_expected, coalesce(c.units_reported, 0) AS units_reported,
           c.units_reported * 1.0 / nullif(c.units_expected, 0) AS coverage
    FROM agg a LEFT JOIN cov c ON {joined}
    ORDER BY {", ".join("a." + k for k in keys.split(", "))}"""


# ---------------------------------------------------------------- public interface

def _params(period: Period, as_of: dt.date | None, plans: list[str] | None, approved: bool = False) -> dict:
    params = {"fq": min(period.kind.quarters), "lq": max(period.kind.quarters), "as_of": as_of,
              "approved": approved}
    if plans is not None:
        params["plans"] = plans
    return params


def _run(con, sql: str, params: dict) -> pd.DataFrame:
    used = {k: v for k, v in params.items() if f"${k}" in sql}  # DuckDB refuses unused parameters
    return con.execute(sql, used).df()


def _finish(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    """Every row: code, actual, attainment (capped for display), status, coverage."""
    cap = scoring().rollup_cap
    if level == "target":
        frame["attainment"] = frame["attainment_raw"].clip(upper=cap)
    elif level == "task":
        frame["attainment"] = frame["score"]
        frame["actual"] = frame["progress"] / 100.0
        frame["status"] = frame["state"]
        frame["coverage"] = (frame[["n_reported", "n_expected"]].min(axis=1) / frame["n_expected"]).where(
            frame["n_expected"] > 0)
    else:
        code_column = {"plan": "plan_id", "area": "area_code", "unit": "unit_code", "unit_area": "unit_code"}[level]
        frame.insert(0, "code", frame[code_column])
        frame["status"] = [status.rollup_status(a, c) for a, c in zip(frame["attainment"], frame["coverage"])]
    frame["status_label"] = frame["status"].map(text.STATUS)
    return frame


def attainment(con: duckdb.DuckDBPyConnection, scope: Scope, *, by: str = "target") -> pd.DataFrame:
    """Attainment of the scope's plan for its period, at one level (`BY_LEVELS`).

    The period must lie in the plan's year; the scope's as-of date (default: the period's last day)
    decides which tasks are due.
    """
    if by not in BY_LEVELS:
        raise KpiError("by_unknown", value=by)
    return read_cache.remembered(con, ("attainment", by, scope), lambda: _attainment(con, scope, by))


def _attainment(con: duckdb.DuckDBPyConnection, scope: Scope, by: str) -> pd.DataFrame:
    con = read_cache.for_plan(con, scope.plan_id)
    plan, period, as_of = scope.plan_id, scope.period, scope.as_of
    row = con.execute("SELECT year FROM plan WHERE id = ?", [plan]).fetchone()
    if row is None:
        raise KpiError("plan_unknown", value=plan)
    if row[0] != period.year:
        raise KpiError("period_outside_plan", value=period.code, plan=plan, year=row[0])
    params = {**_params(period, as_of, None, scope.approved_only), "plan": plan}
    if by == "target":
        frame = _finish(_run(con, _target_sql(ONE_PLAN), params), "target")
        return _with_projection(con, frame, scope)
    if by == "task":
        return _finish(_run(con, _task_sql(ONE_PLAN), params), "task")
    return _named(con, plan, _finish(_run(con, _rollup_sql(ONE_PLAN, by), params), by), by)


def _named(con, plan: str, frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Area and unit rows get their names; areas in the canonical order."""
    if by == "area":
        names = dict(con.execute("SELECT code, name FROM area").fetchall())
        order = dict(con.execute("SELECT code, sort_order FROM area").fetchall())
        frame.insert(1, "name", frame["area_code"].map(names))
        frame = frame.sort_values("area_code", key=lambda c: c.map(order)).reset_index(drop=True)
    if by in ("unit", "unit_area"):
        names = dict(con.execute("SELECT u.code, u.name FROM unit u JOIN plan p ON p.org_id = u.org_id "
                                 "WHERE p.id = ?", [plan]).fetchall())
        frame.insert(1, "name", frame["unit_code"].map(names))
    if by == "unit_area":
        frame.insert(2, "area_name", frame["area_code"].map(dict(con.execute("SELECT code, name FROM area").fetchall())))
    return frame


def overview(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, pd.DataFrame]:
    """Every level of one plan and period at once (what a dashboard overview draws).

    Target and task rows are computed once each (and once more per unit); the roll-ups are made
    from those rows, so each result equals `attainment(..., by=level)`.
    """
    return read_cache.remembered(con, ("overview", scope), lambda: _overview(con, scope))


def _overview(con: duckdb.DuckDBPyConnection, scope: Scope) -> dict[str, pd.DataFrame]:
    plan = scope.plan_id
    con = read_cache.for_plan(con, plan)
    targets = _attainment(con, scope, "target")
    tasks = _attainment(con, scope, "task")
    params = {**_params(scope.period, scope.as_of, None, scope.approved_only), "plan": plan}
    unit_targets = _run(con, _target_sql(ONE_PLAN, True), params)
    unit_tasks = _run(con, _task_sql(ONE_PLAN, True), params)
    unit_coverage = _run(con, _unit_coverage_sql(ONE_PLAN), params)
    names = dict(con.execute("SELECT u.code, u.name FROM unit u JOIN plan p ON p.org_id = u.org_id WHERE p.id = ?",
                             [plan]).fetchall())
    result = {"target": targets, "task": tasks,
              "unit_target": _finish(unit_targets.copy(), "target").assign(name=lambda f: f["unit_code"].map(names)),
              "unit_task": unit_tasks}
    for level, (trows, krows) in {"plan": (targets, tasks), "area": (targets, tasks),
                                  "unit": (unit_targets, unit_tasks),
                                  "unit_area": (unit_targets, unit_tasks)}.items():
        con.register("overview_trows", trows)
        con.register("overview_krows", krows)
        con.register("overview_urows", unit_coverage)
        try:
            frame = con.execute(_rollup_over(level, "overview_trows", "overview_krows", "overview_urows")).df()
        finally:
            for name in ("overview_trows", "overview_krows", "overview_urows"):
                con.unregister(name)
        result[level] = _named(con, plan, _finish(frame, level), level)
    return result


def attainment_all(con: duckdb.DuckDBPyConnection, period_key: str = "Y", *, by: str = "area") -> pd.DataFrame:
    """Every plan at once, each for the period `period_key` of its own year (province or national scale)."""
    period = Period(2000, period_key)
    sql = {"target": lambda: _target_sql(ALL_PLANS), "task": lambda: _task_sql(ALL_PLANS)}.get(
        by, lambda: _rollup_sql(ALL_PLANS, by))()
    return _run(con, sql, _params(period, None, None))


def _with_projection(con, frame: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """Year-end projection from the periods so far; `at_risk` where it misses the target.

    Ratios, yes/no shares and levels (aggregation other than `sum`) project as they stand year to date;
    flows (`sum`) scale linearly to twelve months; directional targets keep their comparison with the baseline.
    """
    ytd = scope.period.year_to_date
    source = frame if ytd == scope.period else _run(
        con, _target_sql(ONE_PLAN), {**_params(ytd, scope.as_of, None, scope.approved_only), "plan": scope.plan_id})
    months = ytd.months
    projected = source[["code", "kind", "comparator", "aggregation", "lower_better", "goal", "actual",
                        "baseline"]].copy()
    flows = (projected["aggregation"] == "sum") & ~projected["comparator"].isin(["increase", "decrease"])
    projected.loc[flows, "actual"] = projected.loc[flows, "actual"] * 12 / months
    judged = con.execute(
        f"SELECT code, actual AS projected, met AS projected_met FROM (SELECT *, {_judge()} FROM projected)").df()
    frame = frame.merge(judged, on="code", how="left")
    frame["at_risk"] = frame["projected_met"].eq(False)
    return frame


def units_reported(con: duckdb.DuckDBPyConnection, scope: Scope) -> set[str]:
    """The units whose reports cover every quarter of the scope's period (the coverage rule)."""
    return read_cache.remembered(con, ("units_reported", scope), lambda: _units_reported(con, scope))


def _units_reported(con: duckdb.DuckDBPyConnection, scope: Scope) -> set[str]:
    con = read_cache.for_plan(con, scope.plan_id)
    params = {**_params(scope.period, scope.as_of, None, scope.approved_only), "plan": scope.plan_id}
    frame = _run(con, _unit_coverage_sql(ONE_PLAN), params)
    return set(frame.loc[frame["reported"], "unit_code"])


def chosen_submissions(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    """The current submissions whose figures make up the period (the same choice the attainment SQL makes)."""
    return read_cache.remembered(con, ("chosen_submissions", scope), lambda: _chosen_submissions(con, scope))


def _chosen_submissions(con: duckdb.DuckDBPyConnection, scope: Scope) -> pd.DataFrame:
    plan, period = scope.plan_id, scope.period
    con = read_cache.for_plan(con, plan)
    sql = f"WITH {_scope_sql(ONE_PLAN)}, {_chosen_reports(ONE_PLAN)} " \
          "SELECT s.id AS submission_id, s.unit_code, s.period, s.submitted_by, s.submitted_at, s.file_name, " \
          "s.sha256, s.illustrative FROM submission s JOIN chosen c ON c.id = s.id ORDER BY s.unit_code, s.period"
    params = {k: v for k, v in {**_params(period, None, [plan], scope.approved_only), "plan": plan}.items()
              if f"${k}" in sql}
    return con.execute(sql, params).df()
