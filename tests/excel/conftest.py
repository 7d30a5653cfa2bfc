"""Report templates made by the product, then filled or broken the way real files are."""
from __future__ import annotations

import copy
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from kpi.periods import parse_period
from kpi.excel import template
from tests.conftest import WorkbookCopy

PLAN, UNIT, PERIOD = "syt-thanh-hoa-2021", "VPS", "2021-Q1"


@pytest.fixture
def blank_template(seeded_db, tmp_path) -> Path:
    path = tmp_path / "VPS-2021-Q1.xlsx"
    path.write_bytes(template.build(seeded_db, PLAN, UNIT, parse_period(PERIOD)))
    return path


class Filled(WorkbookCopy):
    """A template opened with openpyxl; cells addressed by sheet, code and column key."""

    def col(self, sheet: str, key: str) -> int:
        return next(c.column for c in self.book[sheet][3] if c.value == key)

    def row(self, sheet: str, code: str) -> int:
        column = self.col(sheet, "code")
        return next(r for r in range(4, self.book[sheet].max_row + 1)
                    if self.book[sheet].cell(r, column).value == code)

    def set(self, sheet: str, code: str, key: str, value, as_text: bool = False) -> "Filled":
        cell = self.book[sheet].cell(self.row(sheet, code), self.col(sheet, key), value)
        if as_text and cell.data_type == "f":
            cell.data_type = "s"
        return self

    def ratio(self, code: str, numerator, denominator) -> "Filled":
        return self.set("Chỉ tiêu", code, "numerator", numerator).set("Chỉ tiêu", code, "denominator", denominator)

    def task(self, code: str, status, progress=None, completed=None) -> "Filled":
        self.set("Nhiệm vụ", code, "status", status).set("Nhiệm vụ", code, "progress", progress)
        return self.set("Nhiệm vụ", code, "completed_on", completed)


@pytest.fixture
def fill(blank_template, tmp_path):
    counter = iter(range(1000))

    def _fill() -> Filled:
        return Filled(blank_template, tmp_path / f"filled-{next(counter)}.xlsx")
    return _fill


def percent_plan_files(folder: Path):
    """The tiny plan (tests/engine/conftest.py) with two targets measured in % and reported as a value by
    Phòng A (no seed plan has one): T8 "≤ 5%", T9 "≥ 90%". Returns (connection to folder/percent.duckdb,
    Phòng A's blank 2023-Q1 template)."""
    from kpi import db
    from kpi.db import plan_store
    from kpi.plans import transcription, validate
    from tests.engine.conftest import TINY, _target
    plan = copy.deepcopy(TINY)
    plan["targets"] += [_target("T8", "value", "<=", 5, "%", ["A"]), _target("T9", "value", ">=", 90, "%", ["A"])]
    con = db.connect(folder / "percent.duckdb")
    plan_store.save(con, validate.build_bundle(transcription.to_raw(plan)))
    blank = folder / "A-2023-Q1.xlsx"
    blank.write_bytes(template.build(con, "tiny-2023", "A", parse_period("2023-Q1")))
    return con, blank


def good(fill) -> Filled:
    """A correct report: CT01 95/100, CT05 60/80 with a note, task I.1 done on 15/03/2021."""
    return (fill().ratio("CT01", 95, 100).ratio("CT05", 60, 80)
            .set("Chỉ tiêu", "CT01", "note", "Hồ sơ trễ do mất điện").set("Chỉ tiêu", "CT05", "note", "Đang tăng")
            .task("I.1", "Hoàn thành", 100, "15/03/2021"))


def rewrite_part(path: Path, part_pattern: str, edit, target: Path) -> Path:
    """Copy a zip, passing the parts whose name matches through `edit(bytes) -> bytes`."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item)
            if re.search(part_pattern, item.filename):
                data = edit(data)
            out.writestr(item, data)
    return target


def sheet_part(path: Path, sheet_name: str) -> str:
    """The zip part holding a sheet, found through workbook.xml and its relationships."""
    with zipfile.ZipFile(path) as archive:
        book = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet_name)}"[^>]*r:id="(rId\d+)"', book).group(1)
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or \
        re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
    return "xl/" + target.group(1).lstrip("/").removeprefix("xl/")


def libreoffice_copy(source: Path, fmt: str, folder: Path) -> Path:
    """Save a workbook as another format (xls, ods, xlsx…) with LibreOffice, as a person using it would."""
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder / 'lo-profile'}",
                           "--convert-to", fmt, "--outdir", str(folder / "converted"), str(source)],
                          capture_output=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return folder / "converted" / f"{source.stem}.{fmt}"
