"""Every `--format json` output is strict JSON: a parser that rejects NaN and Infinity reads it.

`plans list --format json` used to print `"province": NaN` (a plan without a province)."""
from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from kpi import db, text
from tests import backend
from kpi.cli import main


def strict(document: str):
    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")
    return json.loads(document, parse_constant=refuse)


@pytest.fixture(scope="module")
def demo_path(demo_db_file, tmp_path_factory):
    path = backend.copy_database(demo_db_file, tmp_path_factory.mktemp("json"), "demo.duckdb")
    return path


COMMANDS = [
    ["plans", "list", "--format", "json"],
    ["plans", "show", "sct-2021", "--format", "json"],
    *[["attainment", "--plan", "syt-dong-nai-2023", "--period", "2023-9M", "--by", level, "--format", "json"]
      for level in ("plan", "area", "unit", "target", "task")],
    ["snapshot", "create", "--plan", "syt-dong-nai-2023", "--period", "2023-Q3", "--name", "Họp", "--by", "VP",
     "--format", "json"],
    ["overview", "--plan", "sct-2021", "--period", "2021-9M", "--format", "json"],
    ["overview", "--plan", "syt-thanh-hoa-2022", "--period", "2022-Q1", "--format", "json"],
    ["snapshot", "list", "--format", "json"],
    ["snapshot", "show", "1", "--format", "json"],
    ["snapshot", "compare", "1", "--format", "json"],
    pytest.param(["db", "check", "--format", "json"], marks=backend.FILE_ONLY),  # the file's own checks
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join((a.values[0] if hasattr(a, "values") else a)[:3])
                                                for a in COMMANDS])
def test_json_output_is_strict(demo_path, args):
    result = CliRunner().invoke(main, ["--db", str(demo_path), *args])
    assert result.exit_code == 0, result.output
    strict(result.stdout)


def test_strict_json_turns_non_finite_numbers_into_null():
    import datetime as dt

    import numpy as np
    import pandas as pd
    document = strict(text.strict_json({"nan": math.nan, "inf": math.inf, "np": np.float64("nan"),
                                        "nat": pd.NaT, "n": np.int64(3), "day": dt.date(2023, 9, 30)}))
    assert document == {"nan": None, "inf": None, "np": None, "nat": None, "n": 3, "day": "2023-09-30"}


def test_actuals_import_as_json_without_yes_never_prompts(demo_path, tmp_path):
    """A script that forgot --yes gets one JSON document saying what is needed, exit 1, nothing written."""
    import subprocess
    import sys
    from pathlib import Path

    import openpyxl

    from kpi.excel import template
    from kpi.periods import parse_period
    from tests.conftest import fingerprint
    con = db.connect(demo_path)
    data = template.build(con, "syt-thanh-hoa-2021", "VPS", parse_period("2021-Q4"))
    con.close()
    path = tmp_path / "q4.xlsx"
    path.write_bytes(data)
    book = openpyxl.load_workbook(path)
    sheet = book["Chỉ tiêu"]
    keys = {c.value: c.column for c in sheet[template.KEY_ROW] if c.value}
    for row in range(template.FIRST_DATA_ROW, sheet.max_row + 1):
        if sheet.cell(row, keys["numerator"]).value is None and sheet.cell(row, keys["denominator"]).value is None \
                and sheet.cell(row, keys["code"]).value:
            sheet.cell(row, keys["numerator"]).value, sheet.cell(row, keys["denominator"]).value = 95, 100
    book.save(path)
    con = db.connect(demo_path)
    before = fingerprint(con)
    con.close()
    env = {**__import__("os").environ, "KPI_DATABASE": str(demo_path)}
    result = subprocess.run([sys.executable, "-m", "kpi", "actuals", "import", str(path), "--format", "json"],
                            cwd=Path(__file__).resolve().parents[1], env=env, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert strict(result.stdout)["outcome"] == "needs_confirmation"
    con = db.connect(demo_path)
    assert fingerprint(con) == before
    con.close()
