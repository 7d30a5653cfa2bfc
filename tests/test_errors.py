"""Unexpected errors at the command line's and the dashboard's boundaries: an id for the person, the
traceback in the log under that id, never on the screen."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

from kpi import errors

ROOT = Path(__file__).resolve().parents[1]


def not_a_database(tmp_path: Path) -> Path:
    path = tmp_path / "cchc.duckdb"
    path.write_bytes(b"this is not a DuckDB file\x00" * 400)
    return path


def test_cli_unexpected_error_prints_an_id_and_the_log_path_not_a_traceback(tmp_path):
    log = tmp_path / "errors.log"
    env = {**os.environ, "KPI_DATABASE": str(not_a_database(tmp_path)), "KPI_LOG": str(log)}
    result = subprocess.run([sys.executable, "-m", "kpi", "plans", "list"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    error_id = re.search(r"mã lỗi ([A-Z0-9]{8})", result.stderr)
    assert error_id, result.stderr
    assert str(log) in result.stderr
    logged = log.read_text(encoding="utf-8")
    assert f"[{error_id.group(1)}]" in logged and "Traceback" in logged


def test_page_unexpected_error_shows_a_vietnamese_message_with_an_id(monkeypatch, tmp_path):
    monkeypatch.setenv("KPI_DATABASE", str(not_a_database(tmp_path)))
    monkeypatch.setenv("KPI_LOG", str(tmp_path / "errors.log"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, at.exception  # caught at the boundary, not shown as an exception
    shown = " ".join(e.value for e in at.error)
    error_id = re.search(r"mã lỗi \*\*([A-Z0-9]{8})\*\*", shown)
    assert error_id, shown
    assert error_id.group(1) in (tmp_path / "errors.log").read_text(encoding="utf-8")


def test_disk_full_is_named_as_such_through_the_cause_chain():
    try:
        try:
            raise OSError(28, "No space left on device")
        except OSError as full:
            raise RuntimeError("checkpoint failed") from full
    except RuntimeError as wrapped:
        assert errors.kind(wrapped) == "disk_full"
    assert errors.kind(ValueError("x")) == "unexpected"
    assert errors.kind(OSError(30, "Read-only file system")) == "read_only"


def test_error_ids_are_readable_and_distinct():
    ids = {errors.new_id() for _ in range(500)}
    assert len(ids) == 500  # 32^8 possibilities: a clash in 500 draws would point at a broken generator
    assert all(re.fullmatch(r"[A-HJ-NP-Z2-9]{8}", i) for i in ids)
