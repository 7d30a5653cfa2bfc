"""The reading process (started by kpi.excel.reader): limits itself, loads python-calamine, reads the one
file named on stdin and writes its cells back as pickles. It imports nothing of kpi and is started as a
script in isolated mode, so it is ready in about ten milliseconds; whatever a hostile file does to calamine
here ends this process only.

Protocol: one JSON request line {"path", "kind", "sheets", "unread", "first", "limits"} on stdin ("kind": xlsx,
xls or ods, as the server found it from the file's first bytes; "limits": [rows, columns], a sheet reaching
beyond them is refused with {"code": "too_many_rows" | "too_many_columns", "sheet", "count"}). When "first" names a sheet,
a first message {"first": rows, "visible": {...}} is written and flushed before the other sheets are
parsed, so the server can check a template's metadata while the big sheet is still being read. Then one
message {"sheets": {name: rows}, "visible": {...}, "peak_kib": n}. On a refused file, one message
{"code": problem code} and exit status 3. Each message is an 8-byte big-endian length and a pickle; pickles hold only lists, str, float, int, bool, None and
datetime values (the server's unpickler accepts nothing else).
"""
from __future__ import annotations

import json
import pickle
import resource
import sys


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


def _send(message: dict, out) -> None:
    body = pickle.dumps(message, protocol=5)
    out.write(len(body).to_bytes(8, "big") + body)
    out.flush()


def _open(calamine, path: str, kind: str | None):
    """calamine's from_path picks the reader by the file's extension; a .xls or .ods renamed .xlsx (people do
    rename files to get them past upload forms) is opened from its bytes, where calamine looks at the content."""
    if kind is None or path.lower().endswith("." + kind):
        return calamine.CalamineWorkbook.from_path(path)
    with open(path, "rb") as handle:
        return calamine.CalamineWorkbook.from_filelike(handle)


def _read(path: str, wanted: list[str], unread: dict | None = None, first: str | None = None, out=None,
          kind: str | None = None, limits: tuple[int, int] | None = None) -> int:
    import python_calamine as calamine

    out = out or sys.stdout.buffer
    try:
        book = _open(calamine, path, kind)
    except calamine.PasswordError:
        _send({"code": "file_encrypted"}, out)
        return 3
    except Exception:  # a reader error is a broken file, whatever its type
        _send({"code": "file_corrupt"}, out)
        return 3
    visible = {meta.name: str(meta.visible).rsplit(".", 1)[-1].lower() for meta in book.sheets_metadata}
    sheets = {}
    names = [name for name in visible if not wanted or name in wanted]
    if first in names:  # read and sent ahead of the rest
        names.remove(first)
        names.insert(0, first)
    for name in names:
        try:
            sheet = book.get_sheet_by_name(name)
            # The server's pre-scan reads cell references; a far cell it cannot see (a cell or row written
            # without its reference) still ends up in the parsed range. Its extent is checked here, before a
            # million rows are turned into Python lists and sent back.
            last_row, last_column = sheet.end[0] + 1, sheet.end[1] + 1
            if limits and (last_row > limits[0] or last_column > limits[1]):
                _send({"code": "too_many_rows" if last_row > limits[0] else "too_many_columns", "sheet": name,
                       "count": last_row if last_row > limits[0] else last_column}, out)
                return 3
            rows = sheet.to_python(skip_empty_area=False)
            del sheet  # calamine's copy of the cells, no longer needed: memory for the next sheet and the answer
        except Exception:
            _send({"code": "file_corrupt"}, out)
            return 3
        if name in (unread or {}):
            rows = _without(rows, *unread[name])
        if name == first:
            _send({"first": rows, "visible": visible}, out)
        else:
            sheets[name] = rows
    del book  # its shared strings too, before the answer is pickled
    _send({"sheets": sheets, "visible": visible, "peak_kib": _peak_kib()}, out)
    return 0


def _peak_kib() -> int:
    """This process's peak resident memory (docs/reliability-catalogue.md R6). VmHWM belongs to the process's
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
    """One file: limits first, then calamine loaded, then wait for the request on stdin. The server starts
    this process before it has finished its own checks of the file, so the start costs no waiting."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
    import python_calamine  # noqa: F401  (loaded before the request arrives: that is the point)
    line = sys.stdin.readline()
    if not line:
        return 0  # the server refused the file itself, or went away
    request = json.loads(line)
    return _read(request["path"], request["sheets"], request.get("unread"), request.get("first"),
                 kind=request.get("kind"), limits=request.get("limits"))


if __name__ == "__main__":
    sys.exit(_serve(int(sys.argv[1]), int(sys.argv[2])))
