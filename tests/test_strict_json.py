"""Every `--format json` output is strict JSON: a parser that rejects NaN and Infinity reads it.

`plans list --format json` used to print `"province": NaN` (a plan without a province)."""
from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from kpi import db, text
from kpi.cli import main
from kpi.cycle import demo


def strict(document: str):
    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")
    return json.loads(document, parse_constant=refuse)


@pytest.fixture(scope="module")
def demo_path(seeded_db_file, tmp_path_factory):
    import shutil
    path = tmp_path_factory.mktemp("json") / "demo.duckdb"
    shutil.copy(seeded_db_file, path)
    con = db.connect(path)
    demo.load(con)
    con.close()
    return path


COMMANDS = [
    ["plans", "list", "--format", "json"],
    ["plans", "show", "sct-2021", "--format", "json"],
    *[["attainment", "--plan", "syt-dong-nai-2023", "--period", "2023-9M", "--by", level, "--format", "json"]
      for level in ("plan", "area", "unit", "target", "task")],
    ["snapshot", "create", "--plan", "syt-dong-nai-2023", "--period", "2023-Q3", "--name", "Họp", "--by", "VP",
     "--format", "json"],
    ["snapshot", "list", "--format", "json"],
    ["snapshot", "show", "1", "--format", "json"],
    ["snapshot", "compare", "1", "--format", "json"],
    ["db", "check", "--format", "json"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a[:3]) for a in COMMANDS])
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
