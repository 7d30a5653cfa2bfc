"""Command line for administrators and scripts: `python -m kpi ...` (docs/cli.md).

Each command opens the database, makes one library call and prints. Expected failures
become a Vietnamese message and a documented exit code: 2 = invalid input,
3 = infrastructure (the database is held by a running dashboard).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import pandas as pd

from kpi import accounts as accounts_rule
from kpi import db, engine, errors, text
from kpi.db import connection, durability, postgres
from kpi.cycle import demo
from kpi.plans import catalogue, io
from kpi.periods import Period, parse_period
from kpi.problems import ImportRejected, KpiError, Severity
from kpi.scope import BASES, SUBMITTED, Scope

EXIT_INVALID = 2
EXIT_INFRASTRUCTURE = 3


class PeriodCode(click.ParamType):
    """A period option ("2023-Q1", "2023-H1", "2023-9M", "2023"): the command line's one edge where a period
    code becomes a `Period`; an unknown code ends the command with exit code 2, as before."""
    name = "period"

    def convert(self, value, param, ctx):
        if isinstance(value, Period):
            return value
        try:
            return parse_period(value)
        except KpiError as exc:
            _fail(str(exc), EXIT_INVALID)


PERIOD = PeriodCode()


def _clean_text(ctx, param, value):
    """Free text typed on the command line (a name, a note): NFC, control, zero-width and direction-override
    characters removed (kpi.text.clean), as every other edge does."""
    return text.clean(value) if value is not None else None


def _open(ctx: click.Context):
    try:
        return db.connect(ctx.obj["db"])
    except KpiError as refused:  # busy, unsafe, PostgreSQL unreachable or refusing, extension missing
        _fail(f"{refused.message}\n{_hint(refused)}", EXIT_INFRASTRUCTURE)


def _fail(message: str, code: int):
    click.echo(message, err=True)
    sys.exit(code)


def echo_problems(problems) -> None:
    errors = sum(p.severity is Severity.ERROR for p in problems)
    click.echo(text.CLI["problems_header"].format(errors=errors, warnings=len(problems) - errors), err=True)
    for problem in problems:
        label = text.SEVERITY_LABEL[problem.severity.value]
        where = problem.location
        click.echo(f"- [{label} {problem.code}] {where + ': ' if where else ''}{problem.message}", err=True)
        if problem.hint or problem.command:
            click.echo(f"    → {_hint(problem)}", err=True)


def _hint(problem) -> str:
    """A problem's hint and, on the command line, its command-line form (text.Msg.command)."""
    return " ".join(part for part in (problem.hint, getattr(problem, "command", "")) if part)


@click.group()
@click.option("--db", "db_path", envvar=db.connection.ENV_DATABASE, default=None,
              help=text.CLI_HELP["db"])
@click.option("--as", "as_user", default=None, callback=_clean_text, help=text.CLI_HELP["as"])
@click.pass_context
def main(ctx: click.Context, db_path: str | None, as_user: str | None) -> None:
    """Công cụ dòng lệnh của hệ thống theo dõi kế hoạch CCHC.

    Ví dụ: python -m kpi plans list
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db_path
    ctx.obj["as"] = as_user


def _actor(ctx: click.Context, con):
    """Who this command acts as: the account named by --as (checked like a page request), else the server's
    administrator, recorded under the operating-system user (kpi/access.py)."""
    from kpi.access import Actor
    root = ctx.find_root()
    username = (root.obj or {}).get("as")
    if not username:
        return Actor.server("cli")
    try:
        return accounts_rule.actor_for(con, username, "cli")
    except KpiError as exc:
        _fail(f"{exc.message}\n{_hint(exc)}", EXIT_INVALID)


@main.command()
@click.pass_context
def init(ctx: click.Context) -> None:
    """Tạo hoặc nâng cấp cơ sở dữ liệu và nạp các kế hoạch mẫu kèm theo (chạy lại nhiều lần vẫn an toàn).

    Ví dụ: python -m kpi init
    """
    con = _open(ctx)
    try:
        loaded, kept = io.load_bundled(con)
    except ImportRejected as rejected:
        echo_problems(rejected.problems)
        _fail(text.CLI["nothing_written"], EXIT_INVALID)
    from kpi.db.schema import current_version
    click.echo(text.CLI["init_done"].format(path=db.database_path(ctx.obj["db"]), version=current_version(con),
                                            loaded=len(loaded), kept=len(kept)))
    con.close()


@main.group()
def plans() -> None:
    """Kế hoạch CCHC: xem, nhập, xuất.

    Ví dụ: python -m kpi plans show syt-dong-nai-2023
    """


@plans.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def plans_list(ctx: click.Context, fmt: str) -> None:
    """Liệt kê các kế hoạch trong cơ sở dữ liệu.

    Ví dụ: python -m kpi plans list --format json
    """
    frame = catalogue.list_plans(_open(ctx))
    if fmt == "json":
        frame["issued_on"] = frame["issued_on"].map(lambda d: text.iso_date(d) if pd.notna(d) else None)
        click.echo(text.strict_json(frame.to_dict(orient="records")))
        return
    if frame.empty:
        click.echo(text.CLI["no_plans"])
        return
    frame["issued_on"] = frame["issued_on"].map(lambda d: text.format_date(d) if pd.notna(d) else text.MISSING)
    click.echo(frame.drop(columns=["org_id"]).fillna(text.MISSING).to_string(index=False))


@plans.command("show")
@click.argument("plan_id")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def plans_show(ctx: click.Context, plan_id: str, fmt: str) -> None:
    """Toàn bộ một kế hoạch: lĩnh vực, chỉ tiêu, nhiệm vụ, mâu thuẫn.

    Ví dụ: python -m kpi plans show syt-dong-nai-2023 --format json
    """
    con = _open(ctx)
    try:
        if fmt == "json":
            click.echo(text.strict_json(catalogue.plan_document(con, plan_id)))
            return
        summary = catalogue.plan_summary(con, plan_id)
        targets = catalogue.targets_table(con, plan_id)
        tasks = catalogue.tasks_table(con, plan_id)
    except KpiError as exc:
        _fail(str(exc), EXIT_INVALID)
    click.echo(text.CLI["plan_counts"].format(plan=plan_id, targets=summary["targets"], tasks=summary["tasks"],
                                              conflicts=summary["conflicts"]))
    with pd.option_context("display.max_colwidth", 60, "display.width", 200):
        click.echo("\n" + text.PAGE["targets_tab"].upper())
        click.echo(targets[["code", "area_code", "target", "conflict", "text"]].to_string(index=False))
        click.echo("\n" + text.PAGE["tasks_tab"].upper())
        click.echo(tasks[["code", "area_code", "lead", "deadline", "due", "text"]].to_string(index=False))


@plans.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True, help=text.CLI_HELP["replace"])
@click.pass_context
def plans_import(ctx: click.Context, path: Path, replace: bool) -> None:
    """Nhập một sổ kế hoạch (.xlsx): kiểm tra toàn bộ trước, ghi tất cả hoặc không ghi gì.

    Ví dụ: python -m kpi plans import KH-CCHC-2024.xlsx
    """
    con = _open(ctx)
    try:
        bundle = io.import_workbook(con, path, replace=replace)
    except ImportRejected as rejected:
        echo_problems(rejected.problems)
        _fail(text.CLI["nothing_written"], EXIT_INVALID)
    if bundle.warnings:
        echo_problems(bundle.warnings)
    click.echo(text.CLI["import_done"].format(plan=bundle.plan.id, targets=len(bundle.targets),
                                              tasks=len(bundle.tasks), units=len(bundle.units)))
    con.close()


@plans.command("export")
@click.argument("plan_id")
@click.option("-o", "--output", "output", type=click.Path(path_type=Path), required=True)
@click.pass_context
def plans_export(ctx: click.Context, plan_id: str, output: Path) -> None:
    """Xuất một kế hoạch ra sổ kế hoạch (.xlsx), đúng định dạng để nhập lại.

    Ví dụ: python -m kpi plans export syt-dong-nai-2023 -o dong-nai-2023.xlsx
    """
    con = _open(ctx)
    try:
        io.export_workbook(con, plan_id, output)
    except KpiError as exc:
        _fail(str(exc), EXIT_INVALID)
    click.echo(text.CLI["export_done"].format(plan=plan_id, path=output))


@plans.command("build-bundled")
@click.option("-o", "--output-dir", type=click.Path(path_type=Path), default=io.BUNDLED_DIR)
def plans_build_bundled(output_dir: Path) -> None:
    """Tạo lại data/plans/*.xlsx từ các bản chép tay data/plans/src/*.yaml (dành cho người phát triển).

    Ví dụ: python -m kpi plans build-bundled
    """
    try:
        written = io.build_bundled(output_dir)
    except ImportRejected as rejected:
        echo_problems(rejected.problems)
        _fail(text.CLI["nothing_written"], EXIT_INVALID)
    click.echo(text.CLI["build_done"].format(count=len(written), path=output_dir))


ROW_COLUMNS = {  # what each level prints, besides code, actual, attainment, status, coverage
    "plan": ["targets", "targets_with_data", "targets_met", "tasks_assessed", "tasks_overdue", "units_reported",
             "units_expected"],
    "area": ["name", "targets", "targets_with_data", "targets_met", "tasks_assessed", "tasks_overdue",
             "units_reported", "units_expected"],
    "unit": ["name", "targets", "targets_with_data", "targets_met", "tasks_assessed", "tasks_overdue",
             "units_reported", "units_expected"],
    "target": ["area_code", "kind", "comparator", "target_value", "unit_of_measure", "numerator", "denominator", "rate",
               "baseline", "aggregation", "direction", "latest_quarter", "other_value", "projected", "at_risk"],
    "task": ["area_code", "deadline_text", "due"],
}


@main.command("attainment")
@click.option("--plan", "plan_id", required=True, help=text.CLI_HELP["plan"])
@click.option("--period", type=PERIOD, required=True, help=text.CLI_HELP["period"])
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d", "%d/%m/%Y"]), default=None,
              help=text.CLI_HELP["as_of"])
@click.option("--by", type=click.Choice(engine.BY_LEVELS), default="area", help=text.CLI_HELP["by"])
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.option("--basis", type=click.Choice(list(BASES)), default=SUBMITTED, help=text.CLI_HELP["basis"])
@click.pass_context
def attainment_command(ctx, plan_id: str, period: Period, as_of, by: str, fmt: str, basis: str) -> None:
    """Mức độ đạt kế hoạch theo kế hoạch, lĩnh vực, đơn vị, chỉ tiêu hoặc nhiệm vụ.

    Ví dụ: python -m kpi attainment --plan syt-dong-nai-2023 --period 2023-H1 --by area
    """
    con = _open(ctx)
    try:
        frame = engine.attainment(con, Scope(plan_id, period, as_of.date() if as_of else None, basis), by=by)
    except KpiError as exc:
        _fail(str(exc), EXIT_INVALID)
    columns = ["code", *ROW_COLUMNS[by], "actual", "attainment", "status", "status_label", "coverage",
               "illustrative"]
    frame = frame[[c for c in columns if c in frame.columns]]
    if fmt == "json":
        click.echo(text.strict_json(frame.to_dict(orient="records")))
    elif fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
    else:
        if frame["illustrative"].any():
            click.echo(text.CLI["illustrative_banner"])
        with pd.option_context("display.width", 240, "display.max_colwidth", 40):
            click.echo(_readable(frame, by).to_string(index=False))


def _readable(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Vietnamese number formats for the table view (CSV and JSON keep raw numbers)."""
    shown = frame.drop(columns=["illustrative", "status"]).astype(object)
    for column in ("attainment", "coverage", "rate"):
        if column in shown:
            shown[column] = frame[column].map(text.format_percent)
    if by == "target":
        ratio = frame["kind"] == "ratio"
        for column in ("actual", "projected", "baseline"):
            shown[column] = [text.format_percent(v) if r else text.format_amount(v)
                             for v, r in zip(frame[column], ratio)]
        for column in ("target_value", "other_value", "numerator", "denominator"):
            shown[column] = frame[column].map(text.format_amount)
        shown["at_risk"] = frame["at_risk"].map({True: text.TEMPLATE["yes"], False: ""})
    elif by == "task":
        shown["actual"] = frame["actual"].map(text.format_percent)
        shown["due"] = frame["due"].map(lambda d: text.format_date(d) if pd.notna(d) else text.MISSING)
    else:
        shown["actual"] = frame["actual"].map(text.format_percent)
    return shown.fillna(text.MISSING)


@main.command("overview")
@click.option("--plan", "plan_id", required=True, help=text.CLI_HELP["plan"])
@click.option("--period", type=PERIOD, required=True, help=text.CLI_HELP["period"])
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d", "%d/%m/%Y"]), default=None,
              help=text.CLI_HELP["as_of"])
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json")
@click.option("--basis", type=click.Choice(list(BASES)), default=SUBMITTED, help=text.CLI_HELP["basis"])
@click.pass_context
def overview_command(ctx, plan_id: str, period: Period, as_of, fmt: str, basis: str) -> None:
    """Số liệu trang Tổng quan của một kế hoạch và kỳ, dạng JSON (đúng như trang hiển thị).

    Ví dụ: python -m kpi overview --plan syt-dong-nai-2023 --period 2023-9M --format json
    """
    from kpi.presentation import dashboard
    con = _open(ctx)
    scope = Scope(plan_id, period, as_of.date() if as_of else None, basis)
    try:
        engine.attainment(con, scope, by="plan")  # refuses an unknown plan or a period outside its year
        view = dashboard.overview(con, scope)
    except KpiError as exc:
        _fail(str(exc), EXIT_INVALID)
    click.echo(text.strict_json(dashboard.overview_document(view, scope)))


@main.command("demo")
@click.option("--remove", is_flag=True, help=text.CLI_HELP["remove"])
@click.pass_context
def demo_command(ctx, remove: bool) -> None:
    """Nạp (hoặc xóa) dữ liệu minh họa cho các kế hoạch mẫu, để xem thử biểu đồ và số liệu.

    Ví dụ: python -m kpi demo
    """
    con = _open(ctx)
    actor = _actor(ctx, con)
    if remove:
        demo.remove_accounts(con, actor)
        click.echo(text.CLI["demo_removed"].format(count=demo.remove(con)))
    else:
        loaded = demo.load(con)  # the figures first: if they cannot be written, no demo account is made either
        made = demo.load_accounts(con, actor)
        click.echo(text.CLI["demo_loaded"].format(count=loaded))
        if made:
            click.echo(text.SIGN_IN["demo_cli"].format(names=", ".join(made), password=demo.DEMO_PASSWORD))


@main.command("template")
@click.option("--plan", "plan_id", required=True, help=text.CLI_HELP["plan"])
@click.option("--unit", required=True, help=text.CLI_HELP["unit"])
@click.option("--period", type=PERIOD, required=True, help=text.CLI_HELP["period_2"])
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
@click.option("--blank", is_flag=True, help=text.CLI_HELP["blank"])
@click.pass_context
def template_command(ctx, plan_id: str, unit: str, period: Period, output: Path, blank: bool) -> None:
    """Tạo biểu mẫu Excel để một đơn vị báo cáo một kỳ.

    Ví dụ: python -m kpi template --plan syt-dong-nai-2023 --unit "Văn phòng Sở" --period 2023-Q1 -o VPS.xlsx
    """
    from kpi.excel import template

    con = _open(ctx)
    try:
        output.write_bytes(template.build(con, plan_id, unit, period, prefill=not blank))
    except KpiError as exc:
        _fail(str(exc), EXIT_INVALID)
    click.echo(text.CLI["template_done"].format(path=output))


@main.group()
def actuals() -> None:
    """Số liệu báo cáo của các đơn vị.

    Ví dụ: python -m kpi actuals import VPS-2023-Q1.xlsx
    """


@actuals.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help=text.CLI_HELP["yes"])
@click.option("--as", "as_user", default=None, callback=_clean_text, help=text.CLI_HELP["as"])
@click.option("--by", "submitted_by", default=None, callback=_clean_text,
              help=text.CLI_HELP["by_2"])
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option("--plan", "plan_id", default=None, help=text.CLI_HELP["plan_2"])
@click.option("--unit", default=None, help=text.CLI_HELP["unit_2"])
@click.option("--period", type=PERIOD, default=None, help=text.CLI_HELP["period_3"])
@click.pass_context
def actuals_import(ctx, path: Path, yes: bool, as_user: str | None, submitted_by: str | None, fmt: str,
                   plan_id: str | None, unit: str | None, period: Period | None) -> None:
    """Nhập số liệu từ biểu mẫu đã điền: kiểm tra toàn bộ, xem trước, rồi ghi một lần.

    Ví dụ: python -m kpi actuals import VPS-2023-Q1.xlsx --as nguyenvana --yes
    --plan syt-dong-nai-2023 --unit "Văn phòng Sở" --period 2023-Q1
    """
    from kpi.excel import template, upload

    if as_user:
        ctx.find_root().obj["as"] = as_user
    con = _open(ctx)
    actor = _actor(ctx, con)
    try:  # the slot the file is meant for, as the page's choices state it
        if unit and not plan_id:
            raise KpiError("unit_needs_plan", value=unit)
        unit_code = template.resolve_unit(con, plan_id, unit)[0] if unit else None
    except KpiError as exc:
        _fail(str(exc), EXIT_INVALID)
    outcome = upload.submit(con, path, actor=actor, plan=plan_id, unit=unit_code, period=period,
                            note=submitted_by, confirmed=yes)
    checked = outcome.checked
    document = {"problems": [p.as_row() for p in checked.problems],
                "preview": outcome.preview.to_dict(orient="records"), "blocked": checked.blocked}

    def report(status: str, submissions: list[str] = ()) -> None:
        # JSON: one document on stdout, whatever happened; messages for people go to stderr.
        if fmt == "json":
            click.echo(text.strict_json({**document, "outcome": status, "submissions": list(submissions)}))

    if fmt == "table" and checked.problems:
        echo_problems(checked.problems)
    if outcome.status == "rejected":
        report("rejected")
        _fail(text.CLI["nothing_written"], EXIT_INVALID)
    if outcome.status == "unchanged":
        report("unchanged")
        click.echo(text.CLI["nothing_changed"], err=fmt == "json")
        return
    if fmt == "table":
        click.echo(text.CLI["preview_header"].format(file=checked.file_name, period=checked.period.label))
        with pd.option_context("display.width", 200, "display.max_rows", 500):
            click.echo(outcome.preview.to_string(index=False))
    if outcome.status == "ready":
        if fmt == "json" and not sys.stdin.isatty():  # a script cannot answer: say so in the document, write nothing
            report("needs_confirmation")
            click.echo(text.CLI["needs_yes"], err=True)
            raise SystemExit(1)
        if not click.confirm(text.CLI["confirm_apply"], default=False, err=fmt == "json"):
            report("declined")
            click.echo(text.CLI["nothing_written"], err=fmt == "json")
            raise SystemExit(1)
        outcome = upload.confirm(con, outcome, actor=actor, note=submitted_by)
    report("applied", outcome.submissions)
    click.echo(text.CLI["actuals_done"].format(count=len(outcome.submissions), period=checked.period.label),
               err=fmt == "json")
    con.close()


@actuals.command("history")
@click.option("--plan", "plan_id", required=True)
@click.option("--period", type=PERIOD, required=True)
@click.option("--unit", default=None, help=text.CLI_HELP["unit_3"])
@click.pass_context
def actuals_history(ctx, plan_id: str, period: Period, unit: str | None) -> None:
    """Lịch sử các báo cáo đã nộp của một kỳ, mới nhất trước.

    Ví dụ: python -m kpi actuals history --plan syt-dong-nai-2023 --period 2023-Q1
    """
    from kpi.cycle import reporting

    frame = reporting.history(_open(ctx), Scope(plan_id, period), unit)
    click.echo(frame.to_string(index=False) if not frame.empty else text.UPLOAD_PAGE["no_history"])


@actuals.command("restore")
@click.argument("submission_id")
@click.pass_context
def actuals_restore(ctx, submission_id: str) -> None:
    """Dùng lại một báo cáo đã nộp trước đó (bản đang dùng được giữ trong lịch sử).

    Ví dụ: python -m kpi actuals restore 3f2a…
    """
    from kpi.cycle import submissions

    con = _open(ctx)
    try:
        submissions.restore(con, submission_id, actor=_actor(ctx, con))
    except KpiError as exc:
        _fail(str(exc), EXIT_INVALID)
    click.echo(text.CLI["restored"].format(id=submission_id))


@main.group()
def users() -> None:
    """Tài khoản đăng nhập (dành cho quản trị viên).

    Ví dụ: python -m kpi users create --username admin --role admin --password-stdin < matkhau.txt
    """


@users.command("create")
@click.option("--username", required=True, callback=_clean_text)
@click.option("--role", type=click.Choice(list(accounts_rule.ROLES)), required=True)
@click.option("--name", "display_name", default=None, callback=_clean_text)
@click.option("--unit", "units", multiple=True, help=text.CLI_HELP["units"])
@click.option("--org", "org_id", default=None)
@click.option("--email", default=None, callback=_clean_text)
@click.option("--password-stdin", "password_stdin", is_flag=True, required=True,
              help=text.CLI_HELP["password_stdin"])
@click.pass_context
def users_create(ctx, username, role, display_name, units, org_id, email, password_stdin) -> None:
    """Tạo tài khoản. Mật khẩu chỉ đọc từ đầu vào chuẩn, không có mật khẩu mặc định.

    Ví dụ: python -m kpi users create --username admin --role admin --password-stdin
    """
    password = sys.stdin.readline().rstrip("\r\n")
    con = _open(ctx)
    try:
        account = accounts_rule.create(con, username, role, password, actor=_actor(ctx, con),
                                       display_name=display_name, org_id=org_id, units=units, email=email)
    except KpiError as exc:
        _fail(f"{exc.message}\n{_hint(exc)}", EXIT_INVALID)
    click.echo(text.USERS_CLI["created"].format(username=account.username, role=text.ROLES[account.role]))


@users.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def users_list(ctx, fmt: str) -> None:
    """Các tài khoản (không bao giờ in mật khẩu hay mã băm).

    Ví dụ: python -m kpi users list --format json
    """
    con = _open(ctx)
    rows = [{"username": a.username, "display_name": a.display_name, "role": a.role, "org_id": a.org_id,
             "units": list(a.units), "email": a.email, "locked": a.locked_until is not None,
             "disabled": a.disabled, "created_at": text.iso_moment(a.created_at)}
            for a in accounts_rule.all_accounts(con)]
    if fmt == "json":
        click.echo(text.strict_json(rows))
    elif not rows:
        click.echo(text.USERS_CLI["none"])
    else:
        frame = pd.DataFrame(rows).assign(role=lambda f: f["role"].map(text.ROLES),
                                          units=lambda f: f["units"].map(", ".join))
        click.echo(frame.rename(columns=text.USERS_CLI["columns"]).to_string(index=False))


@main.group()
def periods() -> None:
    """Khóa, mở khóa, phê duyệt kỳ báo cáo (dành cho Văn phòng Sở).

    Ví dụ: python -m kpi periods lock --plan syt-dong-nai-2023 --period 2023-Q1 --from 25/03/2023
    """


def _period_action(ctx, plan_id: str, period: Period, action, done: str | None = None) -> None:
    """Open the database, act as the CLI's actor (--as, else the server's administrator), print `done`."""
    con = _open(ctx)
    actor = _actor(ctx, con)
    try:
        action(con, plan_id, period, actor)
    except KpiError as exc:
        _fail(str(exc), EXIT_INVALID)
    click.echo(done or text.CLI["lock_done"].format(plan=plan_id, period=period.code))


@periods.command("lock")
@click.option("--plan", "plan_id", required=True)
@click.option("--period", type=PERIOD, required=True)
@click.option("--from", "locked_from", type=click.DateTime(["%d/%m/%Y", "%Y-%m-%d"]), required=True)
@click.option("--by", default=None, callback=_clean_text, help=text.CLI_HELP["by_note"])
@click.pass_context
def periods_lock(ctx, plan_id, period, locked_from, by) -> None:
    """Khóa kỳ: từ ngày này không nhận báo cáo (trừ đơn vị được mở lại riêng).

    Ví dụ: python -m kpi --as vanphong periods lock --plan syt-dong-nai-2023 --period 2023-Q1 --from 25/03/2023
    """
    from kpi.cycle import locks
    _period_action(ctx, plan_id, period,
                   lambda con, p, c, actor: locks.lock(con, p, c, locked_from.date(), actor=actor, note=by))


@periods.command("unlock")
@click.option("--plan", "plan_id", required=True)
@click.option("--period", type=PERIOD, required=True)
@click.option("--by", default=None, callback=_clean_text, help=text.CLI_HELP["by_note"])
@click.pass_context
def periods_unlock(ctx, plan_id, period, by) -> None:
    """Mở khóa kỳ.

    Ví dụ: python -m kpi --as vanphong periods unlock --plan syt-dong-nai-2023 --period 2023-Q1
    """
    from kpi.cycle import locks
    _period_action(ctx, plan_id, period, lambda con, p, c, actor: locks.unlock(con, p, c, actor=actor, note=by))


@periods.command("allow")
@click.option("--plan", "plan_id", required=True)
@click.option("--period", type=PERIOD, required=True)
@click.option("--unit", "unit_code", required=True)
@click.option("--by", default=None, callback=_clean_text, help=text.CLI_HELP["by_note"])
@click.pass_context
def periods_allow(ctx, plan_id, period, unit_code, by) -> None:
    """Cho phép riêng một đơn vị nộp khi kỳ đã khóa hoặc đã hết hạn (lý do: dùng periods reopen).

    Ví dụ: python -m kpi periods allow --plan syt-dong-nai-2023 --period 2023-Q1 --unit KHTC --by "Chánh VP"
    """
    from kpi.cycle import locks
    _period_action(ctx, plan_id, period,
                   lambda con, p, c, actor: locks.allow(con, p, c, unit_code, actor=actor, note=by))


@periods.command("reopen")
@click.option("--plan", "plan_id", required=True)
@click.option("--period", type=PERIOD, required=True)
@click.option("--unit", "unit_code", required=True, help=text.CLI_HELP["unit_code"])
@click.option("--reason", required=True, callback=_clean_text, help=text.CLI_HELP["reason"])
@click.pass_context
def periods_reopen(ctx, plan_id, period, unit_code, reason) -> None:
    """Mở lại kỳ cho một đơn vị (khi kỳ đã khóa hoặc đã hết hạn), kèm lý do được ghi vào nhật ký.

    Ví dụ: python -m kpi --as vanphong periods reopen --plan syt-dong-nai-2023 --period 2023-Q1 --unit KHTC --reason "Xin nộp bổ sung"
    """
    from kpi.cycle import locks
    _period_action(ctx, plan_id, period,
                   lambda con, p, c, actor: locks.reopen(con, p, c, unit_code, reason, actor=actor),
                   text.CYCLE["reopen_done"].format(period=period.code, plan=plan_id, unit=unit_code))


@periods.command("deadline")
@click.option("--plan", "plan_id", required=True)
@click.option("--period", type=PERIOD, required=True)
@click.option("--due", type=click.DateTime(["%d/%m/%Y", "%Y-%m-%d"]), required=True, help=text.CLI_HELP["due"])
@click.option("--grace", type=int, default=0, show_default=True, help=text.CLI_HELP["grace"])
@click.pass_context
def periods_deadline(ctx, plan_id, period, due, grace) -> None:
    """Đặt hạn nộp báo cáo của kỳ và số ngày gia hạn; quá hạn cộng gia hạn, kỳ tự đóng.

    Ví dụ: python -m kpi --as vanphong periods deadline --plan syt-dong-nai-2023 --period 2023-Q1 --due 20/03/2023 --grace 5
    """
    from kpi.cycle import locks
    _period_action(ctx, plan_id, period,
                   lambda con, p, c, actor: locks.set_deadline(con, p, c, due.date(), grace, actor=actor),
                   text.CYCLE["deadline_done"].format(period=period.code, plan=plan_id,
                                                      due=text.format_date(due.date()), grace=grace))


@periods.command("approve")
@click.option("--plan", "plan_id", required=True)
@click.option("--period", type=PERIOD, required=True)
@click.option("--by", default=None, callback=_clean_text, help=text.CLI_HELP["by_note"])
@click.option("--undo", is_flag=True, help=text.CLI_HELP["undo"])
@click.pass_context
def periods_approve(ctx, plan_id, period, by, undo) -> None:
    """Phê duyệt số liệu của kỳ (không nhận thêm báo cáo), hoặc hủy phê duyệt với --undo.

    Ví dụ: python -m kpi --as vanphong periods approve --plan syt-dong-nai-2023 --period 2023-Q1
    """
    from kpi.cycle import locks
    action = locks.unapprove if undo else locks.approve
    _period_action(ctx, plan_id, period, lambda con, p, c, actor: action(con, p, c, actor=actor, note=by))


@main.group()
def submissions() -> None:
    """Duyệt hoặc trả lại từng báo cáo đã nộp (dành cho Văn phòng Sở).

    Ví dụ: python -m kpi --as vanphong submissions approve 3f2a…
    """


def _review(ctx, submission_id: str, action, what: str) -> None:
    con = _open(ctx)
    actor = _actor(ctx, con)
    try:
        action(con, submission_id, actor)
    except KpiError as exc:
        _fail(str(exc), EXIT_INVALID)
    click.echo(text.CYCLE["review_done"].format(what=what, id=submission_id))


@submissions.command("approve")
@click.argument("submission_id")
@click.pass_context
def submissions_approve(ctx, submission_id) -> None:
    """Duyệt một báo cáo đang dùng (mã lấy từ actuals history).

    Ví dụ: python -m kpi --as vanphong submissions approve 3f2a…
    """
    from kpi.cycle import submissions as cycle
    _review(ctx, submission_id, lambda con, sid, actor: cycle.approve(con, sid, actor=actor),
            text.CYCLE["review_approved"])


@submissions.command("return")
@click.argument("submission_id")
@click.option("--comment", required=True, callback=_clean_text, help=text.CLI_HELP["comment"])
@click.pass_context
def submissions_return(ctx, submission_id, comment) -> None:
    """Trả lại một báo cáo cho đơn vị, kèm ý kiến; đơn vị nộp lại thì báo cáo mới chờ duyệt.

    Ví dụ: python -m kpi --as vanphong submissions return 3f2a… --comment "Thiếu minh chứng CT05"
    """
    from kpi.cycle import submissions as cycle
    _review(ctx, submission_id, lambda con, sid, actor: cycle.send_back(con, sid, comment, actor=actor),
            text.CYCLE["review_returned"])


# ---------------------------------------------------------------------------------------------------
# Meeting snapshots and exports (docs/meetings.md)

_DATE = click.DateTime(["%d/%m/%Y", "%Y-%m-%d"])


@main.group()
def snapshot() -> None:
    """Ảnh chụp số liệu cho cuộc họp: tạo, xem, so sánh, xóa.

    Ví dụ: python -m kpi snapshot create --plan syt-dong-nai-2023 --period 2023-Q3 --name "Họp Quý III" --by "Văn phòng Sở"
    """


def _snapshot_row(info) -> dict:
    return {"id": info.id, "plan": info.plan_id, "period": info.period.code, "period_label": info.period_label,
            "as_of": text.iso_date(info.as_of), "name": info.name, "note": info.note, "created_by": info.created_by,
            "created_at": text.iso_moment(info.created_at), "illustrative": info.illustrative,
            "attainment": info.summary.get("attainment"), "status": info.summary.get("status")}


@snapshot.command("create")
@click.option("--plan", "plan_id", required=True, help=text.CLI_HELP["plan"])
@click.option("--period", type=PERIOD, required=True, help=text.CLI_HELP["period_2"])
@click.option("--name", required=True, callback=_clean_text, help=text.CLI_HELP["name"])
@click.option("--by", required=True, callback=_clean_text, help=text.CLI_HELP["by_3"])
@click.option("--note", default=None, callback=_clean_text, help=text.CLI_HELP["note"])
@click.option("--as-of", "as_of", type=_DATE, default=None, help=text.CLI_HELP["as_of_2"])
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def snapshot_create(ctx, plan_id, period, name, by, note, as_of, fmt) -> None:
    """Đóng băng số liệu của một kỳ: từ nay ảnh chụp không đổi, dù đơn vị nộp bổ sung.

    Ví dụ: python -m kpi snapshot create --plan syt-dong-nai-2023 --period 2023-Q3 --name "Họp Quý III" --by "Nguyễn Văn A"
    """
    from kpi.meetings import snapshots
    con = _open(ctx)
    try:
        info = snapshots.create(con, Scope(plan_id, period, as_of.date() if as_of else None), name=name, by=by,
                                note=note)
    except KpiError as exc:
        _fail(str(exc), EXIT_INVALID)
    if fmt == "json":
        click.echo(text.strict_json(_snapshot_row(info)))
    else:
        click.echo(text.MEETING_CLI["created"].format(id=info.id, name=info.name, period=info.period_label,
                                                      as_of=text.format_date(info.as_of)))


@snapshot.command("list")
@click.option("--plan", "plan_id", default=None, help=text.CLI_HELP["plan_3"])
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def snapshot_list(ctx, plan_id, fmt) -> None:
    """Các ảnh chụp, mới nhất trước.

    Ví dụ: python -m kpi snapshot list --plan syt-dong-nai-2023
    """
    from kpi.meetings import snapshots
    shots = snapshots.list_snapshots(_open(ctx), plan_id)
    rows = [_snapshot_row(info) for info in shots]
    if fmt == "json":
        click.echo(text.strict_json(rows))
        return
    if not rows:
        click.echo(text.MEETING_CLI["none"])
        return
    frame = pd.DataFrame(rows)
    frame["attainment"] = frame["attainment"].map(text.format_percent)
    frame["created_at"] = [text.format_datetime(info.created_at) for info in shots]
    shown = frame[["id", "plan", "period_label", "name", "created_by", "created_at", "attainment"]]
    click.echo(shown.rename(columns=text.MEETING_CLI["columns"]).to_string(index=False))


@snapshot.command("show")
@click.argument("snapshot_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def snapshot_show(ctx, snapshot_id, fmt) -> None:
    """Một ảnh chụp đúng như lúc chụp: số liệu chung và theo lĩnh vực.

    Ví dụ: python -m kpi snapshot show 3 --format json
    """
    from kpi.meetings import snapshots
    con = _open(ctx)
    try:
        info = snapshots.get(con, snapshot_id)
        view = snapshots.load(con, info.id)
    except KpiError as exc:
        _fail(str(exc), EXIT_INVALID)
    areas = view.by_area[["area_code", "name", "attainment", "status", "coverage"]]
    if fmt == "json":
        document = {**_snapshot_row(info), "headline": info.summary,
                    "areas": areas.to_dict(orient="records"),
                    "submissions": snapshots.submissions(con, info.id).to_dict(orient="records")}
        click.echo(text.strict_json(document))
        return
    click.echo(info.title)
    click.echo(text.SNAPSHOT["report_period"].format(period=info.period_label, as_of=text.format_date(info.as_of)))
    if info.illustrative:
        click.echo(text.CLI["illustrative_banner"])
    shown = areas.assign(attainment=areas["attainment"].map(text.format_percent),
                         status=areas["status"].map(text.STATUS),
                         coverage=areas["coverage"].map(lambda c: text.format_percent(c, 0)))
    click.echo(shown.drop(columns=["area_code"]).rename(columns=text.SNAPSHOT_COLUMNS).to_string(index=False))


@snapshot.command("compare")
@click.argument("before_id", type=int)
@click.argument("after_id", type=int, required=False)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def snapshot_compare(ctx, before_id, after_id, fmt) -> None:
    """Thay đổi từ ảnh chụp BEFORE_ID đến ảnh chụp AFTER_ID (bỏ trống: đến số liệu hiện tại).

    Ví dụ: python -m kpi snapshot compare 2 3
    """
    from kpi.meetings import snapshots
    from kpi.meetings.export.report import change_tables
    con = _open(ctx)
    try:
        comparison = snapshots.compare(con, before_id, after_id)
    except KpiError as exc:
        _fail(str(exc), EXIT_INVALID)
    tables = change_tables(comparison)
    if fmt == "json":
        document = {"before": _snapshot_row(comparison.before),
                    "after": _snapshot_row(comparison.after) if comparison.after else None,
                    "after_as_of": text.iso_date(comparison.after_as_of),
                    **{t.key: [dict(zip([c.key for c in t.columns], row)) for row in t.rows()] for t in tables}}
        click.echo(text.strict_json(document))
        return
    click.echo(text.MEETING_CLI["compare_header"].format(before=comparison.before.title,
                                                         after=comparison.after_label))
    for table in tables:
        click.echo(f"\n{table.title} ({len(table.frame)})")
        if table.empty:
            click.echo(f"  {text.SNAPSHOT['none']}")
            continue
        shown = pd.DataFrame(table.shown(), columns=[c.label for c in table.columns])
        with pd.option_context("display.width", 240, "display.max_colwidth", 60):
            click.echo(shown.to_string(index=False))


@snapshot.command("delete")
@click.argument("snapshot_id", type=int)
@click.option("--yes", is_flag=True, help=text.CLI_HELP["yes_2"])
@click.pass_context
def snapshot_delete(ctx, snapshot_id, yes) -> None:
    """Xóa hẳn một ảnh chụp (không khôi phục được).

    Ví dụ: python -m kpi snapshot delete 3 --yes
    """
    from kpi.meetings import snapshots
    con = _open(ctx)
    try:
        info = snapshots.get(con, snapshot_id)
        if not yes and not click.confirm(text.MEETING_CLI["confirm_delete"].format(title=info.title)):
            _fail(text.CLI["nothing_written"], EXIT_INVALID)
        snapshots.delete(con, info.id)
    except KpiError as exc:
        _fail(str(exc), EXIT_INVALID)
    click.echo(text.MEETING_CLI["deleted"].format(title=info.title))


@main.command("export")
@click.option("--snapshot", "snapshot_id", type=int, default=None, help=text.CLI_HELP["snapshot"])
@click.option("--plan", "plan_id", default=None, help=text.CLI_HELP["plan_4"])
@click.option("--period", type=PERIOD, default=None, help=text.CLI_HELP["period_4"])
@click.option("--as-of", "as_of", type=_DATE, default=None, help=text.CLI_HELP["as_of_2"])
@click.option("--format", "fmt", type=click.Choice(["pdf", "xlsx", "pptx"]), required=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
@click.pass_context
def export_command(ctx, snapshot_id, plan_id, period, as_of, fmt, output) -> None:
    """Xuất báo cáo họp (PDF A4, Excel, PowerPoint 16:9) từ một ảnh chụp hoặc từ số liệu hiện tại.

    Ví dụ: python -m kpi export --snapshot 3 --format pdf -o bao-cao.pdf
    """
    from kpi.meetings import export as exports
    if (snapshot_id is None) == (plan_id is None) or (plan_id is not None and period is None):
        _fail(text.MEETING_CLI["export_source"], EXIT_INVALID)
    con = _open(ctx)
    try:
        report = exports.build_report(con, snapshot_id=snapshot_id, scope=None if plan_id is None else
                                      Scope(plan_id, period, as_of.date() if as_of else None))
    except KpiError as exc:
        _fail(str(exc), EXIT_INVALID)
    data = exports.export(report, fmt, lambda share, step: click.echo(f"[{share:4.0%}] {step}", err=True))
    partial = output.with_name(f".{output.name}.partial")  # never leave half a file under the real name
    partial.write_bytes(data)
    partial.replace(output)
    click.echo(text.MEETING_CLI["exported"].format(path=output, size=text.format_number(len(data) / 1024, 0)))



@main.group("db")
def db_group() -> None:
    """Kiểm tra và khôi phục cơ sở dữ liệu (dành cho quản trị viên).

    Ví dụ: python -m kpi db check
    """


def _database_file(ctx) -> str:
    path = db.database_path(ctx.obj["db"])
    if connection.is_postgres_target(path):
        _fail(text.DB_CLI["not_a_file"].format(path=postgres.redacted(path)), EXIT_INVALID)
    if not Path(path).exists():
        _fail(text.DB_CLI["no_file"].format(path=path), EXIT_INFRASTRUCTURE)
    return path


def _echo_health(health, fmt: str) -> None:
    D = text.DB_CLI
    if fmt == "json":
        click.echo(text.strict_json({
            "state": health.state, "safe": health.safe, "database": health.path, "wal": durability.wal_path(health.path),
            "file_seq": health.file_seq, "replayed_seq": health.replayed_seq, "ledger_seq": health.ledger_seq,
            "lost": health.lost, "detail": health.detail or None,
            "uploads": [{"sha256": u[0], "file_name": u[1], "plan": u[2], "unit": u[3], "period": u[4],
                         "submitted_at": text.iso_moment(u[5]), "status": u[6]} for u in health.uploads],
            "missing_originals": [u[0] for u in health.missing_originals]}))
        return
    click.echo(D["state"][health.state].format(path=health.path, wal=durability.wal_path(health.path)))
    click.echo(D["sequence"].format(file=health.file_seq, replayed=health.replayed_seq, ledger=health.ledger_seq))
    if health.detail:
        click.echo(D["detail"].format(detail=health.detail))
    for entry in health.lost:
        click.echo(D["lost"].format(seq=entry["seq"], action=entry.get("action"), at=entry.get("at"),
                                    detail=json.dumps(entry.get("detail") or {}, ensure_ascii=False)))
    click.echo(D["uploads"].format(count=len(health.uploads), missing=len(health.missing_originals)))
    for sha, name, *_ in health.missing_originals:
        click.echo(D["missing_original"].format(name=name or "—", sha=sha))


@db_group.command("check")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def db_check(ctx, fmt: str) -> None:
    """Cơ sở dữ liệu và nhật ký ghi tạm (WAL) có khớp nhau không, giữ những báo cáo nào; không thay đổi gì.

    Ví dụ: python -m kpi db check
    """
    health = durability.check(_database_file(ctx))
    _echo_health(health, fmt)
    if not health.safe:
        sys.exit(EXIT_INFRASTRUCTURE)


@db_group.command("recover")
@click.option("--yes", is_flag=True, help=text.CLI_HELP["yes_3"])
@click.pass_context
def db_recover(ctx, yes: bool) -> None:
    """Giữ bản sao cơ sở dữ liệu và nhật ký ghi tạm, để riêng nhật ký, mở lại sạch và liệt kê việc cần làm lại.

    Ví dụ: python -m kpi db recover --yes
    """
    path = _database_file(ctx)
    if not yes and not click.confirm(text.DB_CLI["confirm_recover"].format(path=path)):
        _fail(text.CLI["nothing_written"], 1)
    kept, health = durability.recover(path)
    click.echo(text.DB_CLI["recovered"].format(kept=kept))
    _echo_health(health, "table")
    if health.lost:
        click.echo(text.DB_CLI["reapply"].format(originals=durability.originals_dir(path)))


@db_group.command("copy")
@click.option("--to", "target", required=True, help=text.CLI_HELP["copy_to"])
@click.option("--replace", is_flag=True, help=text.CLI_HELP["copy_replace"])
@click.pass_context
def db_copy(ctx, target: str, replace: bool) -> None:
    """Chép toàn bộ cơ sở dữ liệu sang nơi khác (tệp DuckDB ⇄ PostgreSQL), đối chiếu từng bảng rồi mới ghi.

    Ví dụ: python -m kpi db copy --to postgresql://cchc:matkhau@127.0.0.1:5432/cchc
    """
    from kpi import access
    from kpi.db import copy as database_copy
    con = _open(ctx)
    try:
        actor = _actor(ctx, con)
        access.require(con, actor, "database")
        carried = database_copy.copy_database(con, target, replace=replace, actor=actor)
    except KpiError as exc:
        _fail(f"{exc.message}\n{_hint(exc)}", EXIT_INVALID if exc.code.startswith("copy_") or
              exc.code.startswith("forbidden") else EXIT_INFRASTRUCTURE)
    finally:
        con.close()
    described = postgres.redacted(target) if connection.is_postgres_target(target) else target
    click.echo(text.DB_CLI["copied"].format(tables=len(carried), rows=text.format_number(sum(c.rows for c in carried)),
                                            target=described))
    for table in carried:
        click.echo(text.DB_CLI["copied_table"].format(table=table.table, rows=text.format_number(table.rows)))


@db_group.command("grant")
@click.option("--role", "role", required=True, help=text.CLI_HELP["grant_role"])
@click.pass_context
def db_grant(ctx, role: str) -> None:
    """Cấp quyền cho vai trò PostgreSQL của trang tổng hợp (chạy bằng tài khoản chủ cơ sở dữ liệu).

    Ví dụ: python -m kpi --db postgresql://chu:matkhau@127.0.0.1/cchc db grant --role cchc_app
    """
    con = _open(ctx)
    try:
        postgres.grant_application_role(con, role)
    except KpiError as exc:
        _fail(f"{exc.message}\n{_hint(exc)}", EXIT_INVALID)
    finally:
        con.close()
    click.echo(text.DB_CLI["granted"].format(role=role))


@main.command("remind")
@click.option("--plan", "plan_id", required=True, help=text.CLI_HELP["plan"])
@click.option("--period", type=PERIOD, required=True, help=text.CLI_HELP["period_2"])
@click.option("--dry-run", "dry_run", is_flag=True, help=text.CLI_HELP["remind_dry_run"])
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def remind(ctx, plan_id, period, dry_run, fmt) -> None:
    """Gửi thư nhắc tới các đơn vị chưa nộp báo cáo của kỳ (máy chủ thư: biến môi trường KPI_SMTP_*).

    Ví dụ: python -m kpi remind --plan syt-dong-nai-2023 --period 2023-Q3 --dry-run
    """
    from kpi import clock
    from kpi.cycle import reminders, reporting
    con = _open(ctx)
    scope = Scope(plan_id, period)
    try:
        results = reminders.send(con, scope, _actor(ctx, con), dry_run=dry_run)
    except KpiError as exc:
        _fail(f"{exc.message}\n{_hint(exc)}", EXIT_INVALID)
    deadline = reporting.report_deadline(con, plan_id, period)
    kind = reminders.kind_for(deadline, clock.local_date())
    counts = reminders.summary(results)
    if fmt == "json":
        click.echo(text.strict_json({"plan": plan_id, "period": period.code, "deadline": text.iso_date(deadline),
                                     "kind": kind, "dry_run": dry_run, "counts": counts,
                                     "results": reminders.document(results)}))
    elif not results:
        click.echo(text.REMIND_CLI["none"].format(period=period.label))
    else:
        click.echo(text.REMIND_CLI["header"].format(period=period.label, plan=plan_id, deadline=text.format_date(deadline),
                                                    kind=text.REMINDER_KINDS[kind]))
        for result in results:
            click.echo(text.REMIND_CLI["line"].format(unit=result.unit_name, address=result.address or text.MISSING,
                                                      message=result.message))
        click.echo(text.REMINDER_PANEL["summary"].format(**counts))
    con.close()
    if counts["failed"]:
        sys.exit(1)


@main.group("audit", invoke_without_command=True)
@click.option("--plan", "plan_id", default=None, help=text.CLI_HELP["audit_plan"])
@click.option("--since", type=click.DateTime(["%d/%m/%Y", "%Y-%m-%d"]), default=None,
              help=text.CLI_HELP["audit_since"])
@click.option("--actor", "person", default=None, callback=_clean_text, help=text.CLI_HELP["audit_actor"])
@click.option("--action", type=click.Choice(list(text.AUDIT_ACTIONS)), default=None,
              help=text.CLI_HELP["audit_action"])
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def audit_group(ctx, plan_id, since, person, action, fmt) -> None:
    """Nhật ký thao tác: ai, vai trò gì, lúc nào, qua kênh nào, làm gì (mới nhất trước).

    Ví dụ: python -m kpi audit --plan syt-dong-nai-2023 --since 01/10/2023 --format json
    """
    if ctx.invoked_subcommand is not None:
        return
    from kpi import audit
    from kpi.presentation import audit_log
    con = _open(ctx)
    try:
        frame = audit_log.read(con, _actor(ctx, con), plan_id=plan_id, since=since.date() if since else None,
                               person=person, action=action)
    except KpiError as exc:
        _fail(f"{exc.message}\n{_hint(exc)}", EXIT_INVALID)
    if fmt == "json":
        click.echo(text.strict_json(audit.document(frame)))
    elif frame.empty:
        click.echo(text.AUDIT_CLI["none"])
    else:
        table = audit_log.shown(audit_log.readable(con, frame)).drop(columns=["sha256"])
        with pd.option_context("display.width", 240, "display.max_colwidth", 70):
            click.echo(table.rename(columns=text.AUDIT_COLUMNS).to_string(index=False))
    con.close()


@audit_group.command("verify")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_context
def audit_verify(ctx, fmt) -> None:
    """Tính lại chuỗi mã kiểm tra của nhật ký: in dòng cuối (số, mã) khi nguyên vẹn, exit 1 và từng dòng bị sửa,
    xóa hay chèn khi không.

    Ví dụ: python -m kpi audit verify
    """
    from kpi.presentation import audit_log
    con = _open(ctx)
    try:
        found = audit_log.integrity(con, _actor(ctx, con))
    except KpiError as exc:
        _fail(f"{exc.message}\n{_hint(exc)}", EXIT_INVALID)
    con.close()
    if fmt == "json":
        click.echo(text.strict_json(found.document()))
    else:
        for sentence in found.sentences():
            click.echo(sentence)
        if not found.intact:
            click.echo(text.AUDIT_VERIFY["hint"])
    if not found.intact:
        sys.exit(1)


def run() -> None:
    """`python -m kpi`: the command line's boundary. An error nobody expected prints a Vietnamese message
    with an id and the log path (the traceback is in the log under that id), exit code 3."""
    try:
        main(prog_name="python -m kpi")
    except Exception as unexpected:  # noqa: BLE001 - the boundary
        error_id = errors.record(unexpected, "cli " + " ".join(sys.argv[1:]), to_stderr=False)
        fault = errors.kind(unexpected)
        message = text.ERRORS["cli" if fault == "unexpected" else fault]
        click.echo(message.format(id=error_id, log=errors.log_path()), err=True)
        sys.exit(EXIT_INFRASTRUCTURE)


# ---------------------------------------------------------------------------------------------------
# The periodic CCHC report, a Word draft (issue 19, docs/report.md)

@main.command("report")
@click.option("--plan", "plan_id", default=None, help=text.CLI_HELP["plan"])
@click.option("--period", type=PERIOD, default=None, help=text.CLI_HELP["period"])
@click.option("--as-of", "as_of", type=_DATE, default=None, help=text.CLI_HELP["as_of_2"])
@click.option("--snapshot", "snapshot_id", type=int, default=None, help=text.CLI_HELP["report_snapshot"])
@click.option("--basis", type=click.Choice(list(BASES)), default=SUBMITTED, help=text.CLI_HELP["basis"])
@click.option("--outline", type=click.Path(path_type=Path), default=None, help=text.CLI_HELP["report_outline"])
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help=text.CLI_HELP["report_output"])
@click.pass_context
def report_command(ctx, plan_id, period, as_of, snapshot_id, basis, outline, output) -> None:
    """Dự thảo báo cáo định kỳ kết quả thực hiện CCHC (Word, thể thức Nghị định 30/2020) để Văn phòng hoàn thiện và trình ký.

    Ví dụ: python -m kpi report --plan syt-dong-nai-2023 --period 2023-H1 --output bao-cao.docx
    """
    import time

    from kpi import report
    if (snapshot_id is None) == (plan_id is None) or (plan_id is not None and period is None) \
            or (snapshot_id is not None and as_of is not None):
        _fail(text.REPORT_DOC["source"], EXIT_INVALID)
    con = _open(ctx)
    started = time.perf_counter()
    try:
        data = report.build(con, snapshot_id=snapshot_id, outline=outline, scope=None if plan_id is None else
                            Scope(plan_id, period, as_of.date() if as_of else None, basis))
    except KpiError as exc:
        _fail(str(exc), EXIT_INVALID)
    partial = output.with_name(f".{output.name}.partial")  # never leave half a file under the real name
    partial.write_bytes(data)
    partial.replace(output)
    click.echo(text.REPORT_DOC["written"].format(path=output, size=text.format_number(len(data) / 1024, 0),
                                                 seconds=text.format_number(time.perf_counter() - started, 1)))
