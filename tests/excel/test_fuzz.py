"""Fuzzing the file layer: mutants of a real report template (made by kpi.excel.template, filled as a unit
would) and of a real plan workbook go through the upload check and the plan import.

Mutations: byte flips inside a part's deflate stream and outside it (local headers, central directory),
truncated and dropped parts, XML attribute and extent mutations (cols, merges, far rows, dimension), cell
values (inf, NaN, 1e309, huge digits, text, negative), parts re-encoded as UTF-16/UTF-32 with or without a
BOM and with or without a DTD. Properties, for every mutant: the call answers; nothing escapes but the
product's own rejection; a refusal is Vietnamese problems with known codes (no exception text) and leaves
the database unchanged; an acceptance holds finite figures and real dates; the call stays within its time
budget.

The normal run is bounded (FUZZ_MUTANTS, default 600, and FUZZ_SECONDS, default 90); `make fuzz` runs a long
one, e.g. FUZZ_MUTANTS=10000. FUZZ_SEED fixes the sequence (the failing mutant's number is in the message);
FUZZ_ONLY=N replays the sequence and checks mutant N alone (to time it on a quiet machine).
"""
from __future__ import annotations

import collections
import math
import os
import random
import re
import struct
import time
import zipfile
from pathlib import Path


from kpi import text
from kpi.excel import reader, upload
from kpi.plans import io
from kpi.problems import ImportRejected
from tests.conftest import fingerprint
from tests.excel.conftest import good

MUTANTS = int(os.environ.get("FUZZ_MUTANTS", "600"))
SECONDS = float(os.environ.get("FUZZ_SECONDS", "90"))
SEED = int(os.environ.get("FUZZ_SEED", "20261204"))
ONLY = int(os.environ["FUZZ_ONLY"]) if os.environ.get("FUZZ_ONLY") else None  # re-check one mutant by its number
BUDGET = float(os.environ.get("FUZZ_BUDGET", "5"))  # R6 bound per check; the 2 s aim is reported, not asserted
PLAN_SHARE = 0.15  # of the mutants, this part are plan workbooks through `plans import`
PLAN_FILE = Path(__file__).resolve().parents[2] / "data" / "plans" / "syt-thanh-hoa-2021.xlsx"
ENGLISH = re.compile(r"Error|Exception|Traceback|errno|zlib|KeyError|object has no|not supported", re.I)

ODD_VALUES = [b"NaN", b"nan", b"inf", b"-inf", b"Infinity", b"1e309", b"-1e309", b"1E+400", b"1e300", b"-5",
              b"0", b"-0", b"", b"abc", b"9" * 400, b"44270.5", b"1e-320", b"0x10", b"1_000", b"\xc3\x28",
              b"12,5", b"TRUE", b"#DIV/0!"]
ODD_ATTRIBUTES = [b"", b"-1", b"0", b"1", b"16384", b"16385", b"1048576", b"1048577", b"99999999999", b"XFD1048576",
                  b"A1:XFD1048576", b"1e309", b"NaN", b"true", b"x" * 300, b"&amp;", b"A0", b"ZZZZ1"]


# ---------------------------------------------------------------- the zip, part by part

def _parts(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    import io as bytes_io
    with zipfile.ZipFile(bytes_io.BytesIO(data)) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def _zip(parts: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    import io as bytes_io
    out = bytes_io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            archive.writestr(info, data)
    return out.getvalue()


def _edit_part(data: bytes, rng: random.Random, choose, edit) -> bytes:
    parts = _parts(data)
    candidates = [i for i, (info, _) in enumerate(parts) if choose(info.filename)]
    if not candidates:
        return data
    index = rng.choice(candidates)
    info, body = parts[index]
    parts[index] = (info, edit(body))
    return _zip(parts)


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels"))


def _is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


# ---------------------------------------------------------------- mutations

def flip_in_deflate(data: bytes, rng: random.Random) -> bytes:
    parts = _parts(data)
    info = rng.choice([i for i, _ in parts if i.compress_size > 0])
    raw = bytearray(data)
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as archive:
        info = archive.getinfo(info.filename)
    name_len, extra_len = struct.unpack_from("<HH", raw, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    for _ in range(rng.randint(1, 3)):
        raw[start + rng.randrange(info.compress_size)] ^= 1 << rng.randrange(8)
    return bytes(raw)


def flip_outside_deflate(data: bytes, rng: random.Random) -> bytes:
    """A byte of a local header, the central directory or the end record."""
    raw = bytearray(data)
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as archive:
        infos = archive.infolist()
    headers = [i.header_offset + rng.randrange(30) for i in infos]
    directory = data.rfind(b"PK\x01\x02")
    spots = headers + [rng.randrange(max(directory, 0), len(data))] * len(headers)
    for _ in range(rng.randint(1, 2)):
        raw[rng.choice(spots)] ^= 1 << rng.randrange(8)
    return bytes(raw)


def truncate_or_drop(data: bytes, rng: random.Random) -> bytes:
    choice = rng.random()
    if choice < 0.3:
        return data[: rng.randrange(len(data))]
    parts = _parts(data)
    index = rng.randrange(len(parts))
    if choice < 0.6:
        del parts[index]
    else:
        info, body = parts[index]
        parts[index] = (info, body[: rng.randrange(len(body) + 1)])
    return _zip(parts)


def _rewrite_spots(xml: bytes, rng: random.Random, pattern: bytes, most: int, rewrite) -> bytes:
    """1 to `most` times, one match of the pattern (chosen at random, found again after each) rewritten."""
    spots = list(re.finditer(pattern, xml))
    if not spots:
        return xml
    for _ in range(rng.randint(1, most)):
        xml = rewrite(xml, rng.choice(spots))
        spots = list(re.finditer(pattern, xml))
    return xml


def mutate_attribute(data: bytes, rng: random.Random) -> bytes:
    def edit(xml: bytes) -> bytes:
        return _rewrite_spots(xml, rng, rb'(\w+)="([^"]*)"', 3,
                              lambda xml, spot: xml[:spot.start(2)] + rng.choice(ODD_ATTRIBUTES) + xml[spot.end(2):])
    return _edit_part(data, rng, lambda n: _is_xml(n) and (_is_sheet(n) or rng.random() < 0.3), edit)


def mutate_extent(data: bytes, rng: random.Random) -> bytes:
    far = rng.choice([20_001, 65_536, 1_048_576])
    column = rng.choice([b"GS", b"IV", b"XFD", b"AAA"])
    inserts = [
        (b"<sheetData", b"<cols>" + b'<col min="%d" max="16384" hidden="1"/>' % rng.randint(1, 30) * rng.randint(1, 3000)
         + b"</cols><sheetData"),
        (b"</sheetData>", b'</sheetData><mergeCells>' + b''.join(
            b'<mergeCell ref="A%d:XFD1048576"/>' % r for r in range(4, 4 + rng.randint(1, 3000))) + b"</mergeCells>"),
        (b"</sheetData>", b"".join(b'<row r="%d"><c r="A%d" s="1"/></row>' % (r, r)
                                   for r in range(far - rng.randint(1, 20000), far)) + b"</sheetData>"),
        (b"</sheetData>", b'<row r="%d"><c r="%s%d"><v>1</v></c></row></sheetData>' % (far, column, far)),
        (b"</sheetData>", b'<row r="%d"><c><v>1</v></c></row></sheetData>' % far),
    ]
    needle, replacement = rng.choice(inserts)

    def edit(xml: bytes) -> bytes:
        if rng.random() < 0.3:
            xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml)
        return xml.replace(needle, replacement, 1)
    return _edit_part(data, rng, _is_sheet, edit)


def mutate_value(data: bytes, rng: random.Random) -> bytes:
    def put(xml: bytes, spot) -> bytes:
        value = rng.choice(ODD_VALUES)
        if rng.random() < 0.3:  # the same as typed text
            start = xml.rfind(b"<c ", 0, spot.start())
            opening_end = xml.find(b">", start)
            opening = re.sub(rb'\st="[^"]*"', b"", xml[start:opening_end])
            return xml[:start] + opening + b' t="inlineStr"><is><t>' + value + b"</t></is>" + xml[spot.end():]
        return xml[:spot.start(1)] + value + xml[spot.end(1):]

    def edit(xml: bytes) -> bytes:
        return _rewrite_spots(xml, rng, rb"<v>([^<]*)</v>", 4, put)
    return _edit_part(data, rng, _is_sheet, edit)


def reencode(data: bytes, rng: random.Random) -> bytes:
    encoding = rng.choice(["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "utf-8-sig"])

    def edit(xml: bytes) -> bytes:
        body = xml.decode("utf-8", errors="replace")
        body = re.sub(r'encoding="[^"]*"', f'encoding="{encoding.removesuffix("-sig")}"', body, count=1)
        if rng.random() < 0.5:
            body = re.sub(r"^(<\?xml[^>]*\?>)?", lambda m: (m.group(0) or "") + '<!DOCTYPE x [<!ENTITY e "v">]>',
                          body, count=1)
        return body.encode(encoding)
    return _edit_part(data, rng, _is_xml, edit)


MUTATIONS = [flip_in_deflate, flip_outside_deflate, truncate_or_drop, mutate_attribute, mutate_extent,
             mutate_value, mutate_value, reencode]


# ---------------------------------------------------------------- properties

def _check_refusal(problems, where: str) -> None:
    assert problems, where
    for problem in problems:
        assert problem.code in text.PROBLEMS, f"{where}: unknown code {problem.code}"
        message = f"{problem.message} {problem.hint}"
        assert not ENGLISH.search(message), f"{where}: {message}"


def _check_acceptance(checked, where: str) -> None:
    for report in checked.units.values():
        for figure in report.figures.values():
            for number in (figure.numerator, figure.denominator, figure.value, figure.baseline):
                assert number is None or (math.isfinite(number) and abs(number) <= upload.MAX_FIGURE), where
        for task in report.tasks.values():
            assert task.progress is None or 0 <= task.progress <= 100, where


def test_fuzz_the_file_layer(seeded_db, fill, tmp_path, monkeypatch):
    rng = random.Random(SEED)
    # Each reading process reports its own peak (VmHWM since exec) in Workbook.peak_kib; it is collected
    # here by passing every read through unchanged. RUSAGE_CHILDREN would also count every other child
    # this pytest process has reaped (Chromium in the browser tests peaks near 2 GB).
    reading_peaks_kib: list[int] = []
    real_read = reader.read

    def read_and_note_peak(*args, **kwargs):
        workbook = real_read(*args, **kwargs)
        reading_peaks_kib.append(workbook.peak_kib)
        return workbook

    monkeypatch.setattr(reader, "read", read_and_note_peak)
    template = good(fill).save().read_bytes()
    plan = PLAN_FILE.read_bytes()
    before = fingerprint(seeded_db)
    outcomes: collections.Counter = collections.Counter()
    slowest = (0.0, "")
    started = time.perf_counter()
    done = 0
    for number in range(MUTANTS):
        if time.perf_counter() - started > SECONDS:
            break
        mutation = rng.choice(MUTATIONS)
        is_plan = rng.random() < PLAN_SHARE
        source = plan if is_plan else template
        try:
            mutant = mutation(source, rng)
        except (zipfile.BadZipFile, ValueError, IndexError):  # a mutation that made nothing: skip it
            continue
        if ONLY is not None and number != ONLY:  # the sequence is replayed up to it, only it is checked
            continue
        where = f"mutant {number} ({mutation.__name__}, {'plan' if is_plan else 'upload'}, seed {SEED})"
        path = tmp_path / f"m{number % 4}.xlsx"
        path.write_bytes(mutant)
        start = time.perf_counter()
        if is_plan:
            try:
                io.check_workbook(seeded_db, path)
                outcome = "plan:accepted"
            except ImportRejected as rejected:
                _check_refusal(rejected.problems, where)
                outcome = "plan:" + rejected.problems[0].code
        else:
            checked = upload.check(seeded_db, path)
            if checked.blocked:
                _check_refusal(checked.errors, where)
                outcome = "upload:" + checked.errors[0].code
            else:
                _check_acceptance(checked, where)
                outcome = "upload:accepted"
        elapsed = time.perf_counter() - start
        assert elapsed < BUDGET, f"{where}: {elapsed:.1f} s"
        slowest = max(slowest, (elapsed, where))
        outcomes[outcome] += 1
        done += 1
    assert fingerprint(seeded_db) == before
    total = time.perf_counter() - started
    print(f"\nFUZZ seed={SEED} mutants={done} seconds={total:.1f} rate={done / total:.2f}/s "
          f"slowest={slowest[0]:.2f}s ({slowest[1]})")
    for outcome, count in outcomes.most_common():
        print(f"FUZZ {count:6d} {outcome}")
    # Memory: the file's cells are parsed in the reading process (address space capped at 384 MB); its largest
    # peak over every mutant must stay within the 300 MB budget. The checking process's peak includes pytest,
    # DuckDB and pandas themselves, so it is printed, not held to the file budget.
    import resource
    assert reading_peaks_kib or ONLY is not None, "no mutant reached the reading process"
    child_mb = max(reading_peaks_kib, default=0) / 1024
    server_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"FUZZ peak memory: largest reading process {child_mb:.0f} MB over {len(reading_peaks_kib)} reads, "
          f"checking process {server_mb:.0f} MB")
    assert child_mb < 300, f"a reading process peaked at {child_mb:.0f} MB"
    assert done >= (1 if ONLY is not None else min(MUTANTS, 20))
