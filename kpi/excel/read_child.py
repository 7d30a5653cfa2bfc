"""The reading process (started by kpi.excel.reader): limits itself, loads python-calamine, reads the one
file named on stdin and prints its cells as JSON. It imports nothing else of kpi, so it starts in a few
milliseconds; whatever a hostile file does to calamine here ends this process only."""
from __future__ import annotations

import datetime as dt
import json
import resource
import sys


def _encode(value):
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$time": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    raise TypeError(type(value))


def _without(rows: list[list], key_row: int, keys: list[str]) -> list[list]:
    """Cells of the columns keyed `keys` (in row `key_row`) emptied below that row: less to send back."""
    if len(rows) < key_row:
        return rows
    drop = [i for i, key in enumerate(rows[key_row - 1]) if key in keys]
    for row in rows[key_row:]:
        for i in drop:
            if i < len(row):
                row[i] = None
    return rows


def _read(path: str, wanted: list[str], unread: dict | None = None) -> int:
    import python_calamine as calamine

    try:
        book = calamine.CalamineWorkbook.from_path(path)
    except calamine.PasswordError:
        print(json.dumps({"code": "file_encrypted"}))
        return 3
    except Exception:  # a reader error is a broken file, whatever its type
        print(json.dumps({"code": "file_corrupt"}))
        return 3
    result = {"sheets": {}, "visible": {}}
    for meta in book.sheets_metadata:
        result["visible"][meta.name] = str(meta.visible).rsplit(".", 1)[-1].lower()
        if wanted and meta.name not in wanted:
            continue
        try:
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            if meta.name in (unread or {}):
                rows = _without(rows, *unread[meta.name])
            result["sheets"][meta.name] = rows
        except Exception:
            print(json.dumps({"code": "file_corrupt"}))
            return 3
    result["peak_kib"] = _peak_kib()
    sys.stdout.write(json.dumps(result, default=_encode, ensure_ascii=False))
    return 0


def _peak_kib() -> int:
    """This process's peak resident memory (../shared/RELIABILITY.md R6). VmHWM belongs to the process's
    own memory since exec; ru_maxrss would still count the server's memory at the moment it forked us."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _serve(memory: int, seconds: int) -> int:
    """One file: limits first, then calamine loaded, then wait for the request on stdin."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
    import python_calamine  # noqa: F401  (loaded before the request arrives: that is the point)
    line = sys.stdin.readline()
    if not line:
        return 0  # the server went away before sending a file
    request = json.loads(line)
    return _read(request["path"], request["sheets"], request.get("unread"))


if __name__ == "__main__":
    sys.exit(_serve(int(sys.argv[1]), int(sys.argv[2])))
