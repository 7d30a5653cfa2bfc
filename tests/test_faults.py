"""Faults made for real: a full disk (a small tmpfs), a read-only folder. Each is named in Vietnamese with an
error id, nothing is half-written, and the next attempt works once the cause is gone."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kpi import db
from tests.conftest import fingerprint
from tests.backend import FILE_ONLY

ROOT = Path(__file__).resolve().parents[1]


def cli(path: Path, *args: str, log: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KPI_DATABASE": str(path), "KPI_LOG": str(log)}
    return subprocess.run([sys.executable, "-m", "kpi", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=180)


@pytest.fixture
def small_disk(tmp_path):
    """A filesystem of a given size (tmpfs; needs root, as `make test` runs in CI)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    mounted = []

    def make(size: int) -> Path:
        option = f"size={size}"
        command = ["mount", "-o", f"remount,{option}", str(mount)] if mounted else \
            ["mount", "-t", "tmpfs", "-o", option, "tmpfs", str(mount)]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"a small filesystem cannot be mounted here (needs root): {done.stderr.strip()}")
        mounted.append(True)
        return mount

    yield make
    if mounted:
        subprocess.run(["umount", str(mount)], check=False)


@FILE_ONLY
def test_disk_full_during_a_write_is_named_loses_nothing_and_the_next_attempt_works(seeded_db_file, small_disk,
                                                                                  tmp_path):
    size = seeded_db_file.stat().st_size
    disk = small_disk(size + 8 * 1024)  # the database fits, its write-ahead log for the demo does not
    path = disk / "cchc.duckdb"
    shutil.copy(seeded_db_file, path)
    con = db.connect(path)
    before = fingerprint(con)
    con.close()
    log = tmp_path / "errors.log"
    result = cli(path, "demo", log=log)
    assert result.returncode == 3, (result.stdout, result.stderr)
    assert "Ổ đĩa" in result.stderr and "đầy" in result.stderr and "Traceback" not in result.stderr
    error_id = re.search(r"mã lỗi ([A-Z0-9]{8})", result.stderr).group(1)
    assert error_id in log.read_text(encoding="utf-8")
    con = db.connect(path)  # opens: nothing half-written, nothing to recover
    assert fingerprint(con) == before
    con.close()
    small_disk(size + 8 * 1024 * 1024)  # room again
    assert cli(path, "demo", log=log).returncode == 0


@FILE_ONLY
def test_read_only_filesystem_is_named(seeded_db_file, small_disk, tmp_path):
    """The database on a filesystem mounted read-only (a full-disk safeguard, a backup volume): even root
    cannot write there."""
    disk = small_disk(seeded_db_file.stat().st_size + 1024 * 1024)
    path = disk / "cchc.duckdb"
    shutil.copy(seeded_db_file, path)
    if subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True).returncode != 0:
        pytest.skip("the test filesystem cannot be remounted read-only here")
    result = cli(path, "demo", log=tmp_path / "errors.log")
    assert result.returncode == 3, (result.stdout, result.stderr)
    assert "quyền ghi" in result.stderr and "Traceback" not in result.stderr
