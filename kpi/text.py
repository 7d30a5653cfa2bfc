"""All Vietnamese text users see, and the Vietnamese way of writing numbers and dates.

Pages, the command line and exports take their words from here, so a wording is changed
in one place. Formatting follows Vietnamese usage: decimal comma, thousands dot,
`96,5%` with no space, `dd/mm/yyyy`, `Quý III/2023`.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import unicodedata
from dataclasses import dataclass

from kpi import clock

ROMAN_QUARTERS = {1: "I", 2: "II", 3: "III", 4: "IV"}
MISSING = "—"  # shown wherever a value is missing: never 0, never "met"


def nfc(value):
    """NFC-normalise text (decomposed accents break equality and PDF fonts); other values pass."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value


def clean(value: str | None) -> str | None:
    """NFC; invisible format characters (zero-width, direction overrides) removed; control characters (tab,
    line breaks) made spaces; inner whitespace collapsed; empty becomes None."""
    if value is None:
        return None
    value = nfc(str(value))
    value = "".join("" if unicodedata.category(ch) == "Cf" else ch if ch.isprintable() or ch == " " else " "
                    for ch in value)
    value = " ".join(value.split())
    return value or None


def fold(value: str) -> str:
    """A key for matching names however they are typed: NFC, lower case, single spaces.

    Diacritics are kept: "Phòng Y" and "Phòng Ý" are different words in Vietnamese.
    """
    return " ".join(nfc(value).casefold().replace("–", "-").split())


_VIETNAMESE_SEPARATORS = str.maketrans({",": ".", ".": ","})


def format_number(value, decimals: int = 0) -> str:
    """1234567.5 -> "1.234.567,5" (decimals fixed); None/NaN -> "—"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    # Python's grouping with the separators swapped: uploads format tens of thousands of figures.
    rendered = f"{abs(value):,.{decimals}f}".translate(_VIETNAMESE_SEPARATORS)
    return "-" + rendered if value < 0 else rendered


def format_amount(value) -> str:
    """A plan figure as written: no trailing zeros ("96,5", "100", "1.500")."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if float(value).is_integer():
        return format_number(value, 0)
    decimals = min(len(repr(float(value)).split(".")[1]), 4)
    return format_number(value, decimals).rstrip("0").rstrip(",")


def format_percent(rate, decimals: int = 1) -> str:
    """A fraction 0..1 as a Vietnamese percentage: 0.965 -> "96,5%"."""
    if rate is None or (isinstance(rate, float) and math.isnan(rate)):
        return MISSING
    return format_number(rate * 100, decimals) + "%"


def format_actual(value, kind: str) -> str:
    """A target's result as its row shows it: a rate as a percentage, anything else as the plan writes it."""
    return format_percent(value) if kind == "ratio" else format_amount(value)


def format_coverage(reported, expected, share) -> str:
    """Coverage as every page and export says it, under the heading «Đơn vị đã báo cáo»: "4/5 (80%)"
    (kpi/engine/attainment.py owns the rule). A snapshot frozen before the unit counts were kept shows its
    share alone."""
    if not expected:
        return format_percent(share, 0)
    return f"{int(reported)}/{int(expected)} ({format_percent(share, 0)})"


def format_date(value: dt.date | None) -> str:
    """dd/mm/yyyy, zero-padded: 05/01/2023."""
    if value is None:
        return MISSING
    return value.strftime("%d/%m/%Y")


def format_datetime(value: dt.datetime | None) -> str:
    """A moment as the dashboard shows it, on Việt Nam's clock: 15/10/2023 14:05 (missing: "—").
    Naive values are UTC (what the database holds): kpi/clock.py."""
    if value is None or value != value:  # None, NaT
        return MISSING
    return clock.to_local(value).strftime("%d/%m/%Y %H:%M")


def format_datetime_long(value: dt.datetime | None) -> str:
    """A moment in a sentence, on Việt Nam's clock: 14:05 ngày 15/10/2023 (missing: "")."""
    if value is None or value != value:
        return ""
    return clock.to_local(value).strftime("%H:%M ngày %d/%m/%Y")


def iso_date(value: dt.date | None) -> str | None:
    """A date in machine-readable output (JSON, metadata): 2023-10-15."""
    return value.isoformat() if value is not None else None


def now_utc_iso() -> str:
    """This moment, UTC, for logs and ledgers: 2026-12-04T12:16:56+00:00."""
    return clock.now().isoformat(timespec="seconds")


def iso_moment(value: dt.datetime | None) -> str | None:
    """A moment in machine-readable output (JSON, exports, template metadata): ISO 8601 on Việt Nam's clock
    with its offset, 2023-10-15T14:05:00+07:00 — the wall time the dashboard shows, and still an exact
    instant for a script (docs/cli.md)."""
    return clock.to_local(value).isoformat(timespec="seconds") if value is not None else None


URL_DATE = "%d-%m-%Y"  # an as-of date in a shareable link: ?as_of=30-06-2023


def url_date(value: dt.date) -> str:
    return value.strftime(URL_DATE)


def strict_json(value) -> str:
    """JSON for scripts, strict: NaN, NaT and ±infinity become null (never the non-standard NaN/Infinity),
    dates and moments ISO 8601, numpy numbers plain numbers."""
    return json.dumps(_json_ready(value), ensure_ascii=False, indent=2, allow_nan=False)


def _json_ready(value):
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(v) for v in value]
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if hasattr(value, "item") and not isinstance(value, (dt.date, dt.datetime)):  # numpy scalars
        return _json_ready(value.item())
    if value != value:  # NaT
        return None
    if isinstance(value, dt.datetime):
        return iso_moment(value)
    if isinstance(value, dt.date):
        return iso_date(value)
    return str(value)


def file_stamp(value: dt.datetime, seconds: bool = False) -> str:
    """A moment in a file or folder name, on Việt Nam's clock: 20231015-1405 (with seconds: 20231015-140512)."""
    return clock.to_local(value).strftime("%Y%m%d-%H%M%S" if seconds else "%Y%m%d-%H%M")


def format_quarter(year: int, quarter: int) -> str:
    return f"Quý {ROMAN_QUARTERS[quarter]}/{year}"


@dataclass(frozen=True)
class Msg:
    message: str
    hint: str = ""      # what to do, in words that suit a page too: no command, option or path
    command: str = ""   # the same on the command line (a command to run, an option to add): kpi/cli.py only


# Problems found in a plan workbook or a plan transcription. Codes are stable: they are
# listed in docs/plan-workbook.md and asserted by tests; wording may change.
PROBLEMS: dict[str, Msg] = {
    "file_missing": Msg("Không tìm thấy tệp {name}.", "Kiểm tra lại đường dẫn tệp."),
    "file_empty": Msg("Tệp {name} rỗng (0 byte).", "Chọn đúng tệp Excel đã lưu (.xlsx)."),
    "file_not_xlsx": Msg(
        "Tệp {name} không phải tệp Excel .xlsx (nội dung là {detected}).",
        "Mở tệp bằng Excel hoặc LibreOffice rồi lưu lại dưới dạng «Excel Workbook (.xlsx)».",
    ),
    "file_encrypted": Msg(
        "Tệp {name} được đặt mật khẩu nên không đọc được.",
        "Mở tệp trong Excel, bỏ mật khẩu (Tệp › Thông tin › Bảo vệ sổ làm việc) rồi lưu lại.",
    ),
    "file_xlsb": Msg(
        "Tệp {name} là sổ tính nhị phân của Excel (.xlsb); định dạng này chưa được nhận.",
        "Mở tệp bằng Excel, chọn Tệp › Lưu thành, chọn kiểu «Excel Workbook (*.xlsx)» rồi tải tệp .xlsx lên.",
    ),
    "file_corrupt": Msg(
        "Tệp {name} bị hỏng hoặc không đọc được.",
        "Mở tệp bằng Excel hoặc LibreOffice, lưu lại dưới dạng .xlsx rồi thử lại.",
    ),
    "file_too_large": Msg(
        "Tệp {name} giải nén ra {size}, vượt giới hạn {limit}; tệp có thể bị hỏng hoặc độc hại.",
        "Kiểm tra lại tệp; một kế hoạch bình thường chỉ vài trăm KB.",
    ),
    "file_has_macros": Msg(
        "Tệp {name} có chứa macro (VBA).",
        "Lưu lại tệp dưới dạng «Excel Workbook (.xlsx)», không chứa macro.",
    ),
    "file_hostile": Msg(
        "Không đọc được tệp {name} một cách an toàn (tệp quá lớn khi giải nén hoặc có cấu trúc bất thường); "
        "tệp có thể bị hỏng hoặc độc hại.",
        "Mở tệp bằng Excel hoặc LibreOffice, chép dữ liệu sang biểu mẫu mới tải về rồi lưu lại.",
    ),
    "file_xml_forbidden": Msg(
        "Tệp {name} chứa cấu trúc XML không được phép (DTD/entity).",
        "Mở tệp bằng Excel hoặc LibreOffice rồi lưu lại dưới dạng .xlsx, sau đó tải lên lại.",
    ),
    "part_corrupt": Msg(
        "Thành phần «{part}» của tệp {name} bị hỏng: dữ liệu nén không giải nén được hoặc không khớp mã kiểm tra.",
        "Tệp có thể đã hỏng khi sao chép hoặc tải về: lấy lại tệp gốc; nếu vẫn lỗi, mở tệp bằng Excel hoặc "
        "LibreOffice, lưu lại dưới dạng .xlsx rồi thử lại.",
    ),
    "part_too_large": Msg(
        "Thành phần «{part}» của tệp {name} dài {size}, vượt giới hạn {limit}; ở sổ tính bình thường phần này "
        "chỉ vài KB, nên tệp có thể bị hỏng hoặc độc hại.",
        "Dùng đúng biểu mẫu tải về, hoặc mở tệp bằng Excel rồi lưu thành tệp .xlsx mới.",
    ),
    "too_many_parts": Msg(
        "Tệp {name} có {count} thành phần nén, vượt giới hạn {limit}; tệp có thể bị hỏng hoặc độc hại.",
        "Dùng đúng biểu mẫu tải về; một biểu mẫu chỉ có vài chục thành phần.",
    ),
    "too_many_sheets": Msg(
        "Tệp {name} có {count} sheet; biểu mẫu chỉ có 5 sheet.",
        "Dùng đúng biểu mẫu tải về từ trang «Nhập số liệu».",
    ),
    "too_many_columns": Msg(
        "Sheet «{sheet}» dùng tới {count} cột, vượt giới hạn {limit}.",
        "Xóa các cột thừa ở bên phải rồi lưu lại.",
    ),
    "workbook_empty": Msg(
        "Sổ tính không có dữ liệu nào.",
        "Dùng lệnh «plans export» hoặc tải mẫu kế hoạch để có đúng cấu trúc, rồi điền nội dung.",
    ),
    "sheet_missing": Msg(
        "Thiếu sheet «{sheet}».",
        "Thêm lại sheet «{sheet}» theo mẫu (xem docs/plan-workbook.md), giữ nguyên tên sheet.",
    ),
    "column_missing": Msg(
        "Sheet «{sheet}» thiếu cột «{label}» (mã cột {key}).",
        "Thêm cột «{label}» với mã «{key}» ở dòng 2 (dòng mã cột), theo mẫu.",
    ),
    "too_many_rows": Msg(
        "Sheet «{sheet}» có {count} dòng, vượt giới hạn {limit}.",
        "Xóa các dòng thừa ở cuối sheet rồi lưu lại.",
    ),
    "metadata_missing": Msg(
        "Thiếu thông tin «{label}» trong sheet «Kế hoạch».",
        "Điền giá trị cho dòng «{label}».",
    ),
    "year_invalid": Msg(
        "Năm kế hoạch «{value}» không hợp lệ.",
        "Nhập năm gồm 4 chữ số, ví dụ 2024.",
    ),
    "date_invalid": Msg(
        "Ngày «{value}» không đọc được.",
        "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 15/02/2024, hoặc để trống.",
    ),
    "required_missing": Msg(
        "Ô bắt buộc «{label}» đang trống.",
        "Điền nội dung cho ô này hoặc xóa cả dòng nếu dòng thừa.",
    ),
    "duplicate_code": Msg(
        "Mã «{value}» bị trùng (đã có ở dòng {first_row}).",
        "Mỗi dòng cần một mã riêng; nếu hai dòng cùng số thứ tự, thêm hậu tố, ví dụ 33a, 33b.",
    ),
    "area_unknown": Msg(
        "Lĩnh vực «{value}» không thuộc bảy lĩnh vực CCHC.",
        "Dùng một mã lĩnh vực: {choices}.",
    ),
    "comparator_unreadable": Msg(
        "Phép so sánh «{value}» không đọc được.",
        "Dùng một trong: >=, >, <=, <, =, increase (tăng), decrease (giảm), done (hoàn thành).",
    ),
    "value_unreadable": Msg(
        "Giá trị chỉ tiêu «{value}» không phải là số.",
        "Chỉ nhập con số, ví dụ 96 hoặc 96,5 (không kèm chữ); phép so sánh ghi ở cột riêng.",
    ),
    "value_required": Msg(
        "Chỉ tiêu so sánh «{comparator}» cần một giá trị.",
        "Nhập con số mục tiêu, ví dụ 95.",
    ),
    "kind_unknown": Msg(
        "Loại chỉ tiêu «{value}» không hợp lệ.",
        "Dùng một trong: ratio (tỷ lệ), value (giá trị), yes_no (có/không).",
    ),
    "stated_in_unknown": Msg(
        "Nơi nêu «{value}» không hợp lệ.", "Dùng một trong: body, appendix, both."
    ),
    "unit_kind_unknown": Msg(
        "Loại đơn vị «{value}» không hợp lệ.",
        "Dùng một trong: office, agency, subordinate, group, external.",
    ),
    "unit_unknown": Msg(
        "Đơn vị «{value}» không có trong danh sách đơn vị của {organisation}.",
        "Thêm đơn vị này (hoặc tên gọi khác của nó) vào sheet «Đơn vị», hoặc sửa lại tên cho đúng.",
    ),
    "alias_ambiguous": Msg(
        "Tên gọi «{value}» được dùng cho hai đơn vị: {first} và {second}.",
        "Mỗi tên gọi chỉ thuộc về một đơn vị; xóa tên gọi ở một trong hai dòng.",
    ),
    "number_unreadable": Msg(
        "Giá trị «{value}» không phải là số.",
        "Nhập con số, ví dụ 1.500 hoặc 12,5; để trống nếu không có.",
    ),
    "task_unknown": Msg(
        "Nhiệm vụ «{value}» không có trong sheet «Nhiệm vụ».",
        "Ghi đúng mã nhiệm vụ hoặc để trống.",
    ),
    "target_unknown": Msg(
        "Chỉ tiêu «{value}» không có trong sheet «Chỉ tiêu».",
        "Ghi đúng mã chỉ tiêu.",
    ),
    "aggregation_unknown": Msg(
        "Cách cộng dồn qua các kỳ «{value}» không hợp lệ.",
        "Dùng một trong: sum (cộng dồn), ratio (tổng tử số ÷ tổng mẫu số), latest (lấy kỳ gần nhất), "
        "mean (bình quân), max (lớn nhất), min (nhỏ nhất), any (đã xong ở một kỳ là xong); hoặc để trống để tự suy ra.",
    ),
    "aggregation_kind_mismatch": Msg(
        "Chỉ tiêu loại «{kind}» không cộng dồn theo cách «{value}» được.",
        "Loại tỷ lệ dùng ratio hoặc latest; loại giá trị dùng sum, latest, mean, max hoặc min; "
        "loại có/không dùng any. Sửa ô hoặc để trống để tự suy ra.",
    ),
    "direction_unknown": Msg(
        "Chiều tốt «{value}» không hợp lệ.",
        "Dùng higher (càng cao càng tốt) hoặc lower (càng thấp càng tốt); hoặc để trống để tự suy ra.",
    ),
    "direction_conflict": Msg(
        "Chiều tốt «{value}» trái với phép so sánh «{comparator}» của chỉ tiêu.",
        "Với ≥ hoặc > thì chiều tốt là higher; với ≤, < hoặc «giảm» thì là lower. Sửa một trong hai ô.",
    ),
    "indicator_unknown": Msg(
        "Mã chỉ số chuẩn «{value}» không có trong danh mục.",
        "Dùng một mã trong docs/plan-model.md hoặc để trống.",
    ),
    "same_as_unknown": Msg(
        "Chỉ tiêu «{value}» (ghi ở cột «Trùng với chỉ tiêu») không có trong sheet «Chỉ tiêu».",
        "Ghi mã của chỉ tiêu mà dòng này nêu lại, hoặc để trống.",
    ),
    "same_as_chain": Msg(
        "Chỉ tiêu {target} ghi trùng với «{value}», nhưng «{value}» là chính nó hoặc cũng là chỉ tiêu nêu lại.",
        "Ghi mã của chỉ tiêu gốc (chỉ tiêu được tính), không ghi chính nó hay một chỉ tiêu nêu lại khác.",
    ),
    "deadline_unparsed": Msg(
        "Không hiểu được thời hạn «{value}»; vẫn nhận và giữ nguyên cách viết, gắn cờ để rà soát.",
        "Nếu có thể, viết theo dạng «Quý III/2024», «Trước ngày 15/02/2024» hoặc «Thường xuyên».",
    ),
    "period_locked": Msg(
        "Kỳ {period} đã khóa từ {since}.",
        "Liên hệ Văn phòng Sở để mở khóa hoặc cho phép riêng đơn vị nộp bổ sung.",
    ),
    "period_approved": Msg(
        "Số liệu kỳ {period} đã được phê duyệt ({by}); không nhận thêm báo cáo.",
        "Nếu cần sửa, đề nghị Văn phòng Sở hủy phê duyệt kỳ này.",
    ),
    "period_not_open": Msg(
        "Kỳ {period} chưa bắt đầu (từ {start}).",
        "Chọn đúng kỳ báo cáo, hoặc chờ đến khi kỳ bắt đầu.",
    ),
    "metadata_sheet_missing": Msg(
        "Tệp không có sheet ẩn «_meta» của biểu mẫu, nên không biết tệp thuộc kế hoạch, đơn vị và kỳ nào.",
        "Tải biểu mẫu mới ở trang «Nhập số liệu», chép số liệu sang rồi tải lên.",
        "Biểu mẫu mới: python -m kpi template.",
    ),
    "not_a_report_template": Msg(
        "Tệp này không phải biểu mẫu báo cáo CCHC (có thể là sổ kế hoạch hoặc tệp khác).",
        "Tải biểu mẫu báo cáo ở trang «Nhập số liệu», điền rồi tải lên.",
    ),
    "template_version_old": Msg(
        "Biểu mẫu phiên bản {value} đã cũ (phiên bản hiện hành: {current}).",
        "Tải biểu mẫu {period} mới ở trang «Nhập số liệu», chép số liệu sang rồi tải lên.",
    ),
    "template_tampered": Msg(
        "Thông tin ẩn của biểu mẫu không hợp lệ ({value}).",
        "Không sửa sheet ẩn «_meta». Tải biểu mẫu mới ở trang «Nhập số liệu».",
    ),
    "template_of_other_plan": Msg(
        "Biểu mẫu này của kế hoạch {template_plan}, không phải {plan}.",
        "Tải biểu mẫu của kế hoạch {plan} ở trang «Nhập số liệu».",
    ),
    "template_of_other_unit": Msg(
        "Biểu mẫu này của {template_unit}, không phải của {unit}.",
        "Tải biểu mẫu của {unit} ở trang «Nhập số liệu», điền lại rồi tải lên.",
    ),
    "template_of_other_period": Msg(
        "Biểu mẫu này của kỳ {template_period}, không phải kỳ {period}.",
        "Tải biểu mẫu kỳ {period} ở trang «Nhập số liệu».",
    ),
    "key_row_missing": Msg(
        "Sheet «{sheet}» mất dòng mã cột ẩn (dòng 3).",
        "Không xóa dòng ẩn của biểu mẫu. Tải biểu mẫu mới, chép số liệu sang rồi tải lên.",
    ),
    "merged_cells": Msg(
        "Các ô {value} đang bị gộp.",
        "Bỏ gộp ô (Trang đầu › Gộp & căn giữa), mỗi số liệu một ô, rồi lưu lại.",
    ),
    "formula_without_value": Msg(
        "Ô {value} chứa công thức chưa được tính.",
        "Mở tệp bằng Excel hoặc LibreOffice, lưu lại (để công thức được tính) rồi tải lên; hoặc ghi thẳng con số.",
    ),
    "unit_not_in_scope": Msg(
        "Đơn vị «{value}» không thuộc biểu mẫu này ({template_unit}).",
        "Không sửa cột Đơn vị; mỗi đơn vị dùng biểu mẫu của mình.",
    ),
    "target_code_unknown": Msg(
        "Mã chỉ tiêu «{value}» không có trong kế hoạch {plan}.",
        "Không sửa cột Mã; dùng biểu mẫu tải về.",
    ),
    "target_not_for_unit": Msg(
        "Chỉ tiêu «{value}» không thuộc phần việc của {unit}.",
        "Xóa dòng này hoặc dùng biểu mẫu của đơn vị chịu trách nhiệm chỉ tiêu đó.",
    ),
    "task_code_unknown": Msg(
        "Mã nhiệm vụ «{value}» không có trong kế hoạch {plan}.",
        "Không sửa cột Mã; dùng biểu mẫu tải về.",
    ),
    "task_not_for_unit": Msg(
        "Nhiệm vụ «{value}» không do {unit} chủ trì.",
        "Xóa dòng này hoặc dùng biểu mẫu của đơn vị chủ trì.",
    ),
    "duplicate_row": Msg(
        "Mã «{value}» của {unit} xuất hiện hai lần (dòng {first_row} và dòng này).",
        "Giữ một dòng cho mỗi mã, xóa dòng còn lại.",
    ),
    "count_not_a_number": Msg(
        "«{value}» không phải là số.",
        "Nhập số nguyên, ví dụ 1234 hoặc 1.234; để trống nếu chưa có số liệu.",
    ),
    "number_not_finite": Msg(
        "«{value}» không phải con số dùng được (vô cực, NaN hoặc lớn quá mức).",
        "Nhập con số thật, ví dụ 1234 hoặc 96,5; để trống nếu chưa có số liệu.",
    ),
    "sheet_unreadable": Msg(
        "Sheet «{sheet}» có một ô ghi giá trị không đọc được (như NaN, hoặc chữ trong ô kiểu số).",
        "Mở tệp bằng Excel hoặc LibreOffice, nhập lại các ô của dòng này rồi lưu lại dưới dạng .xlsx.",
    ),
    "count_ambiguous": Msg(
        "«{value}»: không rõ là một nghìn hai trăm ba mươi tư hay một phẩy hai ba bốn.",
        "Nhập số không có dấu phân cách, ví dụ 1234.",
    ),
    "count_not_integer": Msg(
        "«{value}» không phải số nguyên (số hồ sơ, số đơn vị phải là số nguyên).",
        "Nhập số nguyên, ví dụ 12.",
    ),
    "count_decimal_point": Msg(
        "Ô {cell} ghi {shown}, không phải số nguyên (số hồ sơ, số đơn vị phải là số nguyên). Có thể bạn đã gõ "
        "{typed} trên máy tính đang dùng dấu chấm thập phân kiểu Anh, nên dấu chấm phân cách hàng nghìn bị hiểu "
        "là dấu thập phân.",
        "Nếu ý là {typed}, hãy nhập {meant} (không có dấu chấm, dấu phẩy); nếu không, nhập số nguyên.",
    ),
    "count_negative": Msg(
        "{label} không được âm ({value}).",
        "Nhập số từ 0 trở lên.",
    ),
    "numerator_gt_denominator": Msg(
        "Tử số {value} lớn hơn mẫu số {denominator} (ô {denominator_cell}).",
        "Tử số là phần của mẫu số (ví dụ hồ sơ đúng hạn / hồ sơ đã giải quyết): kiểm tra lại hai ô.",
    ),
    "denominator_zero": Msg(
        "Mẫu số bằng 0 nhưng tử số là {value}.",
        "Nếu không phát sinh hồ sơ nào, để cả hai ô là 0 hoặc để trống.",
    ),
    "ratio_incomplete": Msg(
        "Chỉ tiêu tỷ lệ cần cả tử số và mẫu số; dòng này chỉ có một.",
        "Điền đủ hai ô, hoặc để trống cả hai nếu chưa có số liệu.",
    ),
    "value_not_a_number": Msg(
        "«{value}» không phải là số.",
        "Nhập con số, ví dụ 12 hoặc 96,5; để trống nếu chưa có số liệu.",
    ),
    "percent_over_100": Msg(
        "Tỷ lệ {value} vượt quá 100%.",
        "Kiểm tra lại con số; tỷ lệ phần trăm không vượt quá 100.",
    ),
    "percent_as_fraction": Msg(
        "Ô này ghi {shown} cho một chỉ tiêu tính bằng %: được hiểu là {shown}%, không phải {percent}%.",
        "Nếu ý là {percent}%, hãy nhập {percent} (hoặc «{percent}%»).",
    ),
    "done_unreadable": Msg(
        "«{value}» không phải Có hoặc Không.",
        "Chọn Có hoặc Không trong danh sách của ô.",
    ),
    "status_unknown": Msg(
        "Tình trạng «{value}» không có trong danh sách.",
        "Chọn một trong: Chưa triển khai, Đang thực hiện, Hoàn thành, Không thực hiện{suggestion}.",
    ),
    "progress_out_of_range": Msg(
        "% hoàn thành «{value}» phải từ 0 đến 100.",
        "Nhập số từ 0 đến 100, không kèm dấu %.",
    ),
    "done_without_date": Msg(
        "Tình trạng «Hoàn thành» nhưng chưa có ngày hoàn thành.",
        "Ghi ngày hoàn thành dạng dd/mm/yyyy, ví dụ 15/03/{year}.",
    ),
    "date_unreadable": Msg(
        "«{value}» không phải ngày hợp lệ.",
        "Ghi ngày dạng dd/mm/yyyy, ví dụ 15/03/{year} (ngày trước, tháng sau).",
    ),
    "date_outside_plan_year": Msg(
        "Ngày hoàn thành {value} nằm ngoài năm kế hoạch {year}.",
        "Kiểm tra lại ngày (dd/mm/yyyy).",
    ),
    "date_in_future": Msg(
        "Ngày hoàn thành {value} ở sau hôm nay.",
        "Kiểm tra lại ngày; chỉ báo «Hoàn thành» khi việc đã xong.",
    ),
    "progress_done_mismatch": Msg(
        "Ghi 100% nhưng tình trạng là «{value}».",
        "Nếu đã xong, chọn «Hoàn thành» và ghi ngày hoàn thành.",
    ),
    "date_without_done": Msg(
        "Có ngày hoàn thành nhưng tình trạng là «{value}».",
        "Chọn «Hoàn thành», hoặc xóa ngày hoàn thành.",
    ),
    "text_too_long": Msg(
        "Nội dung dài {length} ký tự, vượt giới hạn {limit}.",
        "Rút gọn nội dung; tài liệu dài hãy đưa lên mạng và ghi đường link ở cột Minh chứng.",
    ),
    "evidence_not_http": Msg(
        "Minh chứng «{value}» không phải đường link http(s).",
        "Ghi đường link bắt đầu bằng https:// hoặc http://, hoặc để trống.",
    ),
    "missed_without_explanation": Msg(
        "Chỉ tiêu {code} chưa đạt ({actual} so với {target}) nhưng chưa có giải trình.",
        "Ghi lý do ở cột «Ghi chú / giải trình».",
    ),
    "rate_jump": Msg(
        "Tỷ lệ của {code} thay đổi {change} điểm so với kỳ trước ({previous} → {actual}).",
        "Kiểm tra lại tử số và mẫu số; nếu đúng, ghi giải thích ở cột Ghi chú.",
    ),
    "extra_columns": Msg(
        "Sheet «{sheet}» có {count} cột không thuộc biểu mẫu ({columns}); các cột này được bỏ qua.",
        "",
    ),
    "hidden_rows": Msg(
        "Sheet «{sheet}» có dòng bị ẩn chứa số liệu; số liệu này vẫn được đọc.",
        "Bỏ ẩn các dòng (chuột phải › Bỏ ẩn) để kiểm tra lại trước khi nộp.",
    ),
    "hidden_columns": Msg(
        "Cột nhập liệu {value} đang bị ẩn; số liệu trong cột vẫn được đọc.",
        "Bỏ ẩn cột để kiểm tra lại trước khi nộp.",
    ),
    "external_links": Msg(
        "Các ô {value} lấy giá trị từ tệp khác; chỉ dùng giá trị đã lưu trong tệp, liên kết không được mở.",
        "Nếu muốn chắc chắn, thay công thức bằng con số (Dán đặc biệt › Giá trị).",
    ),
    "duplicate_data_sheet": Msg(
        "Sheet «{sheet}» là một bản sao của sheet số liệu (có hàng mã cột của biểu mẫu); không rõ bản nào là bản "
        "nộp.",
        "Xóa sheet «{sheet}» (kể cả khi đang ẩn: chuột phải vào tên sheet › Bỏ ẩn), chỉ giữ «{sheets}», rồi tải lên lại.",
    ),
    "hidden_data": Msg(
        "Sheet ẩn «{sheet}» có dữ liệu; dữ liệu này không được đọc.",
        "",
    ),
    "nothing_reported": Msg(
        "Tệp chưa có số liệu nào (mọi ô nhập đều trống).",
        "Điền số liệu vào các ô nền vàng rồi tải lên lại.",
    ),
    "identical_submission": Msg(
        "Số liệu của {unit} kỳ {period} giống hệt bản đã nộp lúc {at}; không có gì thay đổi.",
        "",
    ),
    "plan_exists": Msg(
        "Kế hoạch {plan} đã có trong cơ sở dữ liệu.",
        "Chọn «Thay thế» để thay kế hoạch cũ bằng tệp này.",
        "Dùng tùy chọn --replace để thay kế hoạch cũ bằng tệp này.",
    ),
    "plan_year_taken": Msg(
        "{organisation} đã có kế hoạch năm {year} với mã khác ({plan}).",
        "Mỗi cơ quan một kế hoạch mỗi năm: dùng lại mã {plan} và thay thế kế hoạch cũ, hoặc sửa năm.",
        "Thay thế bằng tùy chọn --replace.",
    ),
    "organisation_mismatch": Msg(
        "Mã cơ quan «{value}» đã có với tên «{existing}», khác tên trong tệp «{name}».",
        "Sửa tên cơ quan cho khớp, hoặc dùng mã cơ quan khác.",
    ),
    "plan_unknown": Msg(
        "Không có kế hoạch «{value}».",
        "Chọn một kế hoạch có trong danh sách (cơ quan và năm ở thanh bên).",
        "Xem danh sách bằng lệnh: python -m kpi plans list",
    ),
    "snapshot_unknown": Msg(
        "Không có ảnh chụp số «{value}».",
        "Chọn một ảnh chụp có trong danh sách của trang «Báo cáo họp».",
        "Xem danh sách bằng lệnh: python -m kpi snapshot list",
    ),
    "snapshot_name_missing": Msg(
        "Chưa đặt tên cho ảnh chụp.",
        "Đặt một tên dễ nhận ra, ví dụ «Họp giao ban Quý III/2023».",
    ),
    "snapshot_by_missing": Msg(
        "Chưa ghi người tạo ảnh chụp.",
        "Ghi họ tên người tạo (ví dụ «Nguyễn Văn A, Văn phòng Sở»).",
    ),
    "snapshot_text_too_long": Msg(
        "Nội dung «{value}…» dài quá {limit} ký tự.",
        "Rút gọn tên hoặc ghi chú của ảnh chụp.",
    ),
    "period_unknown": Msg(
        "Kỳ báo cáo «{value}» không hợp lệ.",
        "Dùng một trong: {codes}.",
    ),
    "submission_unknown": Msg(
        "Không có báo cáo mã «{value}».",
        "Chọn một báo cáo có trong lịch sử nộp của kỳ.",
        "Xem mã các báo cáo bằng: python -m kpi actuals history --plan KẾ_HOẠCH --period KỲ",
    ),
    "unit_needs_plan": Msg(
        "Đơn vị «{value}» chỉ xác định được trong một kế hoạch.",
        "Chọn kế hoạch trước, rồi chọn đơn vị của kế hoạch đó.",
        "Thêm --plan, ví dụ: --plan syt-dong-nai-2023 --unit \"{value}\".",
    ),
    "unit_not_in_plan": Msg(
        "Không có đơn vị «{value}» trong cơ quan của kế hoạch {plan}.",
        "Chọn một đơn vị có trong danh sách đơn vị của kế hoạch.",
        "Xem tên các đơn vị bằng: python -m kpi plans show {plan} --format json (mục units).",
    ),
    "username_invalid": Msg(
        "Tên đăng nhập «{value}» không hợp lệ.",
        "Dùng 3–40 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới (ví dụ: nguyen.van.a).",
    ),
    "username_taken": Msg("Tên đăng nhập «{value}» đã có người dùng.", "Chọn một tên khác."),
    "role_unknown": Msg(
        "Vai trò «{value}» không hợp lệ.",
        "Dùng một trong: admin (quản trị), van_phong (Văn phòng Sở), lanh_dao (lãnh đạo Sở), don_vi (cán bộ đơn vị).",
    ),
    "unit_required": Msg("Tài khoản cán bộ đơn vị cần ghi rõ đơn vị.", "Thêm mã đơn vị của người dùng."),
    "org_required": Msg("Tài khoản này cần ghi rõ cơ quan (Sở).", "Chọn cơ quan (Sở) của tài khoản.", "Thêm mã cơ quan, ví dụ --org syt-dong-nai."),
    "email_invalid": Msg("Địa chỉ thư «{value}» không hợp lệ.", "Nhập theo dạng ten@coquan.gov.vn."),
    "unit_unknown_for_org": Msg("Cơ quan {org} không có đơn vị {value}.",
                                "Dùng mã đơn vị như trong danh mục đơn vị của kế hoạch."),
    "account_unknown": Msg("Không có tài khoản đang hoạt động tên «{value}».",
                           "Kiểm tra tên đăng nhập; quản trị viên xem được danh sách tài khoản.",
                           "Danh sách tài khoản: python -m kpi users list."),
    # A request outside the caller's role or scope (kpi/access.py); recorded in the audit trail.
    "file_name_extension": Msg("Tệp «{value}» không phải bảng tính (.xlsx, .xls, .ods); không có gì được ghi.",
                               "Mở biểu mẫu bằng Excel, lưu dưới dạng .xlsx rồi tải tệp đó lên."),
    "forbidden_role": Msg("Vai trò của bạn không được thực hiện thao tác này.",
                          "Nhờ Văn phòng Sở hoặc quản trị viên thực hiện, hoặc cấp quyền phù hợp."),
    "forbidden_org": Msg("Bạn chỉ làm việc được với số liệu của cơ quan mình.",
                         "Chọn kế hoạch của cơ quan mình."),
    "forbidden_unit": Msg("Bạn chỉ được nộp và giải trình số liệu cho đơn vị của mình.",
                          "Chọn đơn vị của mình; cần nộp thay đơn vị khác thì nhờ Văn phòng Sở."),
    "forbidden_upload": Msg("Tài khoản của bạn không được nộp báo cáo cho «{unit}»; không có gì được ghi.",
                            "Bạn nộp được cho: {units}. Tải đúng biểu mẫu của đơn vị mình, hoặc nhờ Văn phòng Sở."),
    "password_too_short": Msg(
        "Mật khẩu quá ngắn.",
        "Dùng ít nhất {minimum} ký tự; một câu dễ nhớ dài vẫn tốt hơn một từ ngắn khó nhớ.",
    ),
    "password_wrong": Msg("Mật khẩu hiện tại không đúng.", "Nhập lại mật khẩu đang dùng."),
    "sign_in_failed": Msg(
        "Tên đăng nhập hoặc mật khẩu không đúng.",
        "Kiểm tra lại (chữ hoa, chữ thường, bộ gõ tiếng Việt). Sai nhiều lần liên tiếp, tài khoản sẽ bị khóa tạm.",
    ),
    "account_locked": Msg(
        "Tài khoản đang bị khóa tạm vì đăng nhập sai nhiều lần, đến {until}.",
        "Chờ đến thời điểm trên rồi đăng nhập lại, hoặc nhờ quản trị viên kiểm tra.",
    ),
    "period_outside_plan": Msg(
        "Kỳ {value} không thuộc năm của kế hoạch {plan} ({year}).",
        "Chọn một kỳ của năm {year}, ví dụ {year}-Q1 hoặc {year}.",
    ),
    "by_unknown": Msg(
        "Cấp tổng hợp «{value}» không hợp lệ.",
        "Dùng một trong: plan, area, unit, target, task.",
    ),
    "database_busy": Msg(
        "Cơ sở dữ liệu {path} đang được một chương trình khác mở (tiến trình số {pid}, thường là trang tổng hợp "
        "đang chạy).",
        "Dừng trang tổng hợp (Ctrl+C ở cửa sổ đang chạy «make run»/«streamlit run») rồi chạy lại lệnh, "
        "hoặc thực hiện thao tác này ngay trên trang. Để trang tổng hợp và dòng lệnh cùng chạy một lúc, "
        "dùng cơ sở dữ liệu PostgreSQL (KPI_DATABASE=postgresql://…, xem docs/deploy.md).",
    ),
    # PostgreSQL through DuckDB's postgres extension (kpi/db/postgres.py); {server} never holds the password.
    "postgres_extension_missing": Msg(
        "Không tìm thấy phần mở rộng PostgreSQL của DuckDB {version}.",
        "Cài gói duckdb-extension-postgres cùng phiên bản với duckdb.",
        "pip install -r requirements.txt",
    ),
    "postgres_extension_mismatch": Msg(
        "Phần mở rộng PostgreSQL đã cài không khớp phiên bản DuckDB {version} (có bản dựng cho: {built}).",
        "Cài duckdb-extension-postgres đúng phiên bản {version}.",
        "pip install -r requirements.txt",
    ),
    "postgres_unreachable": Msg(
        "Không kết nối được máy chủ PostgreSQL {server}.",
        "Kiểm tra máy chủ đã chạy, địa chỉ và cổng của cơ sở dữ liệu đúng, và tường lửa cho phép kết nối.",
        "Địa chỉ đặt trong KPI_DATABASE hoặc .streamlit/secrets.toml.",
    ),
    "postgres_password": Msg(
        "Máy chủ PostgreSQL {server} từ chối tên đăng nhập hoặc mật khẩu.",
        "Kiểm tra tên và mật khẩu kết nối cơ sở dữ liệu.",
        "Tên và mật khẩu nằm trong KPI_DATABASE hoặc .streamlit/secrets.toml.",
    ),
    "postgres_no_database": Msg(
        "Máy chủ PostgreSQL {server} không có cơ sở dữ liệu này.",
        "Tạo cơ sở dữ liệu trên máy chủ trước, rồi chạy lại.",
        "createdb -h <máy> -U <chủ> <tên>",
    ),
    "postgres_failed": Msg(
        "Không mở được cơ sở dữ liệu PostgreSQL {server}: {reason}",
        "Kiểm tra địa chỉ cơ sở dữ liệu và nhật ký của máy chủ PostgreSQL.",
    ),
    "migration_not_permitted": Msg(
        "Cơ sở dữ liệu cần nâng cấp cấu trúc (bước {version}: {name}) nhưng tài khoản kết nối không có quyền "
        "tạo bảng; chưa có gì được thay đổi.",
        "Quản trị viên chạy nâng cấp bằng tài khoản chủ cơ sở dữ liệu, cấp lại quyền, rồi khởi động lại.",
        "python -m kpi --db <địa chỉ của chủ> init, rồi db grant --role <vai trò ứng dụng>",
    ),
    "postgres_role_name": Msg(
        "Tên vai trò PostgreSQL «{role}» không hợp lệ.",
        "Dùng chữ thường không dấu, chữ số và dấu gạch dưới, ví dụ cchc_app.",
    ),
    "postgres_role_missing": Msg(
        "Máy chủ PostgreSQL chưa có vai trò «{role}».",
        "Tạo vai trò trước, rồi chạy lại.",
        "createuser --pwprompt {role}",
    ),
    "postgres_only": Msg(
        "Lệnh này chỉ dành cho cơ sở dữ liệu PostgreSQL.",
        "Chọn cơ sở dữ liệu PostgreSQL rồi chạy lại.",
        "--db postgresql://… hoặc KPI_DATABASE=postgresql://…",
    ),
    "copy_target_not_empty": Msg(
        "Cơ sở dữ liệu đích đã có dữ liệu ({count} bảng, ví dụ: {tables}); không có gì được ghi.",
        "Chọn một cơ sở dữ liệu trống, hoặc cho phép thay toàn bộ dữ liệu của nó bằng bản chép.",
        "Thêm --replace để thay.",
    ),
    "copy_version": Msg(
        "Hai cơ sở dữ liệu khác phiên bản cấu trúc (nguồn {found}, đích {supported}); không có gì được ghi.",
        "Cập nhật chương trình ở cả hai nơi lên cùng một phiên bản rồi chép lại.",
    ),
    "copy_columns": Msg(
        "Bảng {table} có các cột khác nhau ở nguồn và đích; không có gì được ghi.",
        "Cập nhật chương trình ở cả hai nơi lên cùng một phiên bản rồi chép lại.",
    ),
    "copy_mismatch": Msg(
        "Bảng {table} chép sang không khớp (nguồn {expected} dòng, đích {found} dòng, hoặc khác nội dung); "
        "đã hủy toàn bộ, không có gì được ghi.",
        "Chép lại; nếu vẫn lỗi, báo cho nhóm phát triển kèm tệp nhật ký.",
    ),
    "database_contended": Msg(
        "Cơ sở dữ liệu đang bận ghi thao tác khác; đã thử {attempts} lần mà chưa ghi được. Chưa có gì được ghi.",
        "Thử lại sau ít phút.",
    ),
    "database_newer": Msg(
        "Cơ sở dữ liệu {path} có phiên bản cấu trúc {found}, mới hơn phiên bản chương trình hỗ trợ ({supported}).",
        "Cập nhật chương trình lên phiên bản mới nhất.",
    ),
    # The database and its write-ahead log (WAL) or its ledger disagree (kpi/db/durability.py, docs/reliability.md).
    "wal_corrupt": Msg(
        "Nhật ký ghi tạm {wal} của cơ sở dữ liệu {path} bị hỏng, không đọc lại được; chương trình dừng để không "
        "mất số liệu.",
        "Chạy «python -m kpi db check» để xem chi tiết, rồi «python -m kpi db recover» (giữ bản sao cả hai tệp, "
        "để riêng nhật ký hỏng và liệt kê các lần ghi cần làm lại).",
    ),
    "wal_foreign": Msg(
        "Nhật ký ghi tạm {wal} không thuộc cơ sở dữ liệu {path} (là của một tệp khác); mở ra sẽ ghi nhầm số liệu.",
        "Chạy «python -m kpi db check», rồi «python -m kpi db recover» để để riêng nhật ký này.",
    ),
    "wal_stale": Msg(
        "Nhật ký ghi tạm {wal} chứa các lần ghi mà cơ sở dữ liệu {path} đã có (thường do khôi phục một bản sao "
        "cũ); mở ra sẽ ghi trùng số liệu.",
        "Chạy «python -m kpi db check», rồi «python -m kpi db recover» để để riêng nhật ký này.",
    ),
    "writes_lost": Msg(
        "Cơ sở dữ liệu {path} thiếu {lost} lần ghi đã báo «đã lưu» (có đến lần thứ {found}, sổ ghi nhận đến lần "
        "thứ {acknowledged}).",
        "Chạy «python -m kpi db check» để xem các lần ghi bị thiếu, rồi «python -m kpi db recover»; tệp gốc "
        "của các báo cáo đã nhận được giữ trong thư mục {path}.originals để nộp lại.",
    ),
}

# Attainment bands (data/scoring.yaml) and task states: always shown with a text label.
STATUS = {
    "met": "Đạt",
    "near": "Gần đạt",
    "below": "Chưa đạt",
    "no_data": "Chưa có số liệu",
    "insufficient": "Chưa đủ số liệu",
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành trễ hạn",
    "overdue": "Quá hạn",
    "on_track": "Đang thực hiện, đúng tiến độ",
    "in_progress": "Đang thực hiện",
    "not_started": "Chưa triển khai",
    "dropped": "Không thực hiện",
}

# Task progress as units report it (templates offer these words in a drop-down list).
TASK_PROGRESS = {
    "not_started": "Chưa triển khai",
    "in_progress": "Đang thực hiện",
    "done": "Hoàn thành",
    "dropped": "Không thực hiện",
}

SEVERITY_LABEL = {"error": "Lỗi", "warning": "Cảnh báo"}

# Column labels of the plan workbook, by machine key. The same labels head the tables on
# the "Kế hoạch" page.
LABELS: dict[str, str] = {
    "key": "Mã thông tin",
    "label": "Thông tin",
    "id": "Mã kế hoạch",
    "organisation": "Mã cơ quan",
    "organisation_name": "Tên cơ quan",
    "province": "Tỉnh/thành phố",
    "sector": "Ngành",
    "parent": "Cơ quan cấp trên",
    "year": "Năm kế hoạch",
    "number": "Số hiệu văn bản",
    "issued_on": "Ngày ban hành",
    "issued_text": "Địa danh, ngày tháng (nguyên văn)",
    "signer": "Người ký",
    "signer_title": "Chức vụ người ký",
    "title": "Trích yếu",
    "source_file": "Tệp nguồn",
    "note": "Ghi chú",
    "value": "Giá trị",
    "code": "Mã",
    "name": "Tên đơn vị",
    "kind": "Loại",
    "aliases": "Tên gọi khác (cách nhau bởi ;)",
    "area": "Lĩnh vực",
    "heading": "Tên lĩnh vực trong kế hoạch",
    "text": "Nội dung",
    "comparator": "So sánh",
    "unit_of_measure": "Đơn vị tính",
    "stated_in": "Nêu tại",
    "source": "Nguồn (mục)",
    "lines": "Dòng trong tệp nguồn",
    "appendix_source": "Nguồn phụ lục (mục)",
    "appendix_lines": "Dòng phụ lục trong tệp nguồn",
    "task_code": "Mã nhiệm vụ liên quan",
    "responsible_units": "Đơn vị chịu trách nhiệm",
    "deadline_text": "Thời hạn (nguyên văn)",
    "indicator_key": "Mã chỉ số chuẩn",
    "aggregation": "Cộng dồn qua các kỳ",
    "direction": "Chiều tốt",
    "same_as": "Trùng với chỉ tiêu",
    "weight": "Trọng số",
    "flags": "Cờ",
    "original_text": "Nguyên văn (trước chuẩn hóa)",
    "general_task": "Nhiệm vụ chung / mục tiêu",
    "product": "Sản phẩm",
    "lead_text": "Cơ quan chủ trì (nguyên văn)",
    "lead_units": "Cơ quan chủ trì",
    "coordinating_text": "Cơ quan phối hợp (nguyên văn)",
    "coordinating_units": "Cơ quan phối hợp",
    "budget_million_vnd": "Kinh phí (triệu đồng)",
    "budget_text": "Kinh phí (nguyên văn)",
    "result_text": "Kết quả",
    "target_code": "Mã chỉ tiêu",
    "field": "Nội dung mâu thuẫn",
    "body": "Thân kế hoạch nêu",
    "appendix": "Phụ lục nêu",
    "body_value": "Giá trị ở thân",
    "appendix_value": "Giá trị ở phụ lục",
    "status": "Tình trạng",
    "resolved_value": "Giá trị đã chốt",
    "period": "Kỳ báo cáo",
    "month": "Tháng",
    "day": "Ngày",
    "deadline_kind": "Loại thời hạn",
    "due_date": "Hạn (ngày)",
    "number_in_plan": "Số mục",
    "seq": "Thứ tự",
}

SHEETS = {
    "plan": "Kế hoạch",
    "units": "Đơn vị",
    "areas": "Lĩnh vực",
    "targets": "Chỉ tiêu",
    "tasks": "Nhiệm vụ",
    "conflicts": "Mâu thuẫn",
    "report_deadlines": "Hạn báo cáo",
}

UNIT_KINDS = {
    "office": "Phòng/ban thuộc Sở",
    "agency": "Chi cục",
    "subordinate": "Đơn vị trực thuộc",
    "group": "Nhóm đơn vị",
    "external": "Cơ quan ngoài Sở",
}

TARGET_KINDS = {"ratio": "Tỷ lệ", "value": "Giá trị", "yes_no": "Có/không"}
STATED_IN = {"body": "Thân kế hoạch", "appendix": "Phụ lục", "both": "Thân và phụ lục"}

# How a target's figures combine over the quarters of a longer period (kpi/rules/aggregation.py).
AGGREGATIONS = {
    "sum": "Cộng dồn các kỳ",
    "ratio": "Tổng tử số ÷ tổng mẫu số",
    "latest": "Lấy kỳ gần nhất",
    "mean": "Bình quân các kỳ",
    "max": "Lớn nhất trong các kỳ",
    "min": "Nhỏ nhất trong các kỳ",
    "any": "Đã xong ở một kỳ là xong",
}
# Which way a target's number is better (kpi/rules/aggregation.py `infer_direction`).
DIRECTIONS = {"higher": "Càng cao càng tốt", "lower": "Càng thấp càng tốt"}
# "số liệu Quý III/2021": which quarter a `latest` figure is (the latest with a report).
LATEST_FROM = "số liệu {period}"

DEADLINE_KINDS = {
    "recurring": "Thường xuyên (hạn cuối năm)",
    "periodic": "Hằng quý, hằng tháng (hạn cuối mỗi kỳ)",
    "year": "Trong năm",
    "half": "6 tháng",
    "quarter": "Quý",
    "quarter_list": "Nhiều quý",
    "month": "Tháng",
    "before_date": "Trước ngày",
    "compound": "Nhiều mốc",
    "event": "Theo sự kiện",
    "external": "Theo văn bản/chỉ đạo bên ngoài",
    "unknown": "Chưa hiểu được (cần rà soát)",
    "none": "Không nêu",
}

FLAGS = {
    "conflict": "Thân và phụ lục mâu thuẫn",
    "split_across_pages": "Dòng bị ngắt trang trong bản gốc",
    "duplicate_row_number": "Số thứ tự bị trùng trong bản gốc",
    "typo_normalised": "Đã sửa lỗi chính tả (giữ nguyên văn)",
    "needs_review": "Cần rà soát",
    "deadline_unparsed": "Thời hạn chưa hiểu được",
    "year_inferred": "Năm của thời hạn được suy ra",
    "aggregation_review": "Cách cộng dồn được suy ra, cần rà soát",
    "direction_review": "Chiều tốt được suy ra, cần rà soát",
}

CONFLICT_STATUS = {"unresolved": "Chưa xử lý", "resolved": "Đã chốt"}

CLI = {
    "plan_counts": "{plan}: {targets} chỉ tiêu, {tasks} nhiệm vụ, {conflicts} mâu thuẫn chưa xử lý",
    "needs_yes": "Tệp hợp lệ nhưng chưa được ghi: chế độ --format json không hỏi xác nhận. Chạy lại với --yes để ghi.",
    "init_done": "Đã khởi tạo cơ sở dữ liệu {path} (cấu trúc phiên bản {version}); đã nạp {loaded} kế hoạch mới, {kept} kế hoạch đã có.",
    "import_done": "Đã nhập kế hoạch {plan}: {targets} chỉ tiêu, {tasks} nhiệm vụ, {units} đơn vị.",
    "export_done": "Đã xuất kế hoạch {plan} ra {path}.",
    "problems_header": "Tệp có {errors} lỗi và {warnings} cảnh báo:",
    "nothing_written": "Không có gì được ghi vào cơ sở dữ liệu.",
    "no_plans": "Chưa có kế hoạch nào. Chạy: python -m kpi init",
    "illustrative_banner": "⚠ Dữ liệu minh họa: các số liệu dưới đây là giả lập để xem thử, không phải báo cáo thật.",
    "demo_loaded": "Đã nạp {count} báo cáo minh họa (Dữ liệu minh họa). Xóa bằng: python -m kpi demo --remove",
    "demo_removed": "Đã xóa {count} báo cáo minh họa; số liệu thật không bị động đến.",
    "template_done": "Đã tạo biểu mẫu {path}.",
    "preview_header": "Xem trước thay đổi từ {file} ({period}):",
    "confirm_apply": "Ghi các số liệu này vào cơ sở dữ liệu?",
    "actuals_done": "Đã ghi {count} báo cáo kỳ {period}.",
    "nothing_changed": "Số liệu giống hệt bản đã nộp; không có gì thay đổi.",
    "restored": "Đã dùng lại báo cáo {id}; bản đang dùng trước đó vẫn được lưu trong lịch sử.",
    "lock_done": "Đã cập nhật trạng thái kỳ {period} của kế hoạch {plan}.",
    "build_done": "Đã tạo {count} sổ kế hoạch trong {path}.",
}

PAGE = {
    "basis": "Số liệu tính trên",
    "basis_help": "Tất cả báo cáo các đơn vị đã nộp, hay chỉ những báo cáo Văn phòng Sở đã duyệt.",
    "sign_in_needed": "Vui lòng đăng nhập để xem số liệu.",
    "database_unsafe": "Cơ sở dữ liệu đang chờ quản trị viên kiểm tra: nhật ký ghi tạm không khớp với tệp dữ liệu, "
                       "nên trang dừng lại để không mất hay ghi trùng số liệu. Không có gì bị thay đổi. Hãy báo quản "
                       "trị viên hệ thống.",
    "database_unreachable": "Trang chưa kết nối được cơ sở dữ liệu, nên chưa hiển thị được số liệu. Không có gì bị "
                            "thay đổi. Hãy thử lại sau ít phút; nếu vẫn vậy, báo quản trị viên hệ thống kèm mã lỗi "
                            "{error_id}.",
    "app_title": "Theo dõi kế hoạch cải cách hành chính",
    "plan": "Kế hoạch",
    "overview": "Tổng quan",
    "tasks": "Nhiệm vụ",
    "targets": "Chỉ tiêu",
    "areas": "Lĩnh vực",
    "units": "Đơn vị",
    "compare": "So sánh",
    "upload": "Nhập số liệu",
    "meeting": "Báo cáo họp",
    "plan_caption": "Kế hoạch CCHC của từng cơ quan: lĩnh vực, chỉ tiêu, nhiệm vụ, đúng như văn bản gốc.",
    "organisation": "Cơ quan",
    "year": "Năm",
    "search": "Tìm kiếm",
    "search_help": "Tìm trong nội dung, sản phẩm, đơn vị, thời hạn (không cần gõ dấu chính xác hoa/thường).",
    "area_filter": "Lĩnh vực",
    "unit_filter": "Đơn vị chủ trì",
    "all": "Tất cả",
    "areas_tab": "Lĩnh vực",
    "targets_tab": "Chỉ tiêu",
    "tasks_tab": "Nhiệm vụ",
    "conflicts_tab": "Mâu thuẫn cần xử lý",
    "units_tab": "Đơn vị",
    "metric_targets": "Chỉ tiêu",
    "metric_tasks": "Nhiệm vụ",
    "metric_conflicts": "Mâu thuẫn chưa xử lý",
    "metric_budget": "Kinh phí (triệu đồng)",
    "plan_meta": "Số {number} · ban hành {issued} · người ký {signer} · nguồn {source}",
    "no_plans": "Chưa có kế hoạch nào trong cơ sở dữ liệu.",
    "no_plans_hint": "Nhờ quản trị viên hệ thống nạp các kế hoạch (năm kế hoạch mẫu đi kèm, hoặc tệp kế hoạch của Sở).",
    "no_rows": "Không có dòng nào khớp bộ lọc.",
    "conflict_banner": "Kế hoạch có {count} chỉ tiêu mà thân văn bản và phụ lục nêu khác nhau. Cả hai giá trị được giữ; cần người có thẩm quyền chốt.",
    "conflict_both": "Thân: {body} · Phụ lục: {appendix}",
    "same_as_mark": "Như {code} (nêu lại, chỉ tính một lần)",
    "download_workbook": "Tải sổ kế hoạch (.xlsx)",
    "database_busy": "Cơ sở dữ liệu đang bận.",
}

UPLOAD_PAGE = {
    "title": "Nhập số liệu",
    "caption": "Tải biểu mẫu Excel của đơn vị, điền, rồi tải lên. Tệp được kiểm tra toàn bộ trước; "
               "có lỗi thì không ghi gì.",
    "unit": "Đơn vị báo cáo",
    "all_units": "Toàn Sở (biểu mẫu tổng hợp của Văn phòng Sở)",
    "period": "Nộp báo cáo cho kỳ",
    "period_help": "Kỳ của biểu mẫu tải về và của tệp nộp lên; không phụ thuộc kỳ đang xem ở thanh bên.",
    "download": "Tải biểu mẫu {period} (.xlsx)",
    "deadline": "Hạn nộp: {date}",
    "step_download": "1. Tải biểu mẫu",
    "step_upload": "2. Tải lên tệp đã điền",
    "uploader": "Chọn tệp Excel đã điền (.xlsx; cũng nhận .xls, .ods)",
    "note": "Ghi chú kèm lần nộp (không bắt buộc)",
    "note_help": "Người nộp là tài khoản đang đăng nhập; ô này chỉ để ghi chú thêm, ví dụ «nộp thay trưởng phòng».",
    "checking": "Đang kiểm tra tệp…",
    "checked": "Đã kiểm tra xong.",
    "blocked": "Tệp có {errors} lỗi (và {warnings} cảnh báo). Chưa ghi gì vào cơ sở dữ liệu. Sửa các ô dưới đây rồi tải lên lại.",
    "warnings": "Tệp hợp lệ, có {warnings} cảnh báo (không chặn việc ghi):",
    "ok": "Tệp hợp lệ, không có lỗi.",
    "preview": "3. Xem trước thay đổi so với số liệu đã lưu",
    "confirm": "Xác nhận ghi số liệu",
    "applied": "Đã ghi {count} báo cáo kỳ {period}. Số liệu mới đã được tính vào kết quả.",
    "nothing_changed": "Số liệu giống hệt bản đã nộp; không có gì thay đổi.",
    "history": "Lịch sử nộp báo cáo kỳ này",
    "no_history": "Chưa có báo cáo nào cho kỳ này.",
    "illustrative": "Dữ liệu minh họa",
}

# One word per concept, for the pages and the exports alike: every table's column headings below take their
# words from here, so "Mức đạt" or "Thời gian nộp" reads the same on a page, in a PDF and in a workbook.
GLOSSARY = {
    "code": "Mã", "text": "Nội dung", "target": "Chỉ tiêu", "actual": "Thực hiện", "attainment": "Mức đạt",
    "status": "Đánh giá", "coverage": "Đơn vị đã báo cáo", "unit": "Đơn vị", "area": "Lĩnh vực", "period": "Kỳ",
    "deadline": "Thời hạn", "due": "Hạn", "lead": "Chủ trì", "state": "Tình trạng", "progress": "% hoàn thành",
    "submitted_at": "Thời gian nộp", "submitted_by": "Người nộp", "file_name": "Tệp",
    "responsible": "Đơn vị chịu trách nhiệm", "numerator": "Tử số", "denominator": "Mẫu số", "rate": "Tỷ lệ",
    "value": "Giá trị", "done": "Hoàn thành", "baseline": "Cùng kỳ năm trước", "note": "Ghi chú",
    "evidence": "Minh chứng", "indicator": "Chỉ số chuẩn", "kind": "Loại", "organisation": "Cơ quan", "year": "Năm",
    "last": "Lần nộp gần nhất",
}
G = GLOSSARY

PROBLEM_COLUMNS = {"severity": "Mức", "code": "Mã lỗi", "sheet": "Sheet", "rows": "Dòng", "column": "Cột",
                   "value": "Giá trị đọc được", "message": "Vấn đề", "hint": "Cách sửa"}
PREVIEW_COLUMNS = {"unit": G["unit"], "kind": G["kind"], "code": G["code"], "field": "Ô", "before": "Đã lưu",
                   "after": "Trong tệp", "change": "Thay đổi"}
HISTORY_COLUMNS = {"unit": G["unit"], "submitted_at": G["submitted_at"], "submitted_by": G["submitted_by"],
                   "file_name": G["file_name"], "rows": "Số dòng", "status": "Trạng thái"}
SUBMISSION_STATUS = {"current": "Đang dùng", "superseded": "Đã thay thế"}

OVERVIEW = {
    "title": "Tổng quan",
    "caption": "Kế hoạch CCHC năm {year} · {period} · số liệu đến {as_of}",  # the department is in the sidebar
    "illustrative": "Dữ liệu minh họa: các số liệu trên trang này là giả lập để xem thử, không phải báo cáo thật. "
                    "Văn phòng Sở xóa chúng trước khi các đơn vị nộp báo cáo thật.",
    "no_reports": "Chưa có báo cáo nào cho {period}.",
    "no_reports_hint": "Các đơn vị nộp số liệu ở trang «Nhập số liệu»; kết quả hiện ở đây ngay sau khi ghi.",
    "metric_attainment": "Mức đạt chung",
    "metric_targets": "Chỉ tiêu đạt",
    # Under the headline when some targets have no figure for the period: what «Mức đạt chung» stands on
    # (docs/kpi.md §6: targets with figures and scored tasks), so 100% over three tasks is not read as a plan met.
    "measured_on_tasks_only": "Chưa chỉ tiêu nào trong {total} chỉ tiêu có số liệu của kỳ: mức đạt chung chỉ tính "
                              "trên các nhiệm vụ được chấm điểm.",
    "measured_on_part": "{missing} trong {total} chỉ tiêu chưa có số liệu của kỳ: mức đạt chung tính trên "
                        "{with_data} chỉ tiêu có số liệu và các nhiệm vụ được chấm điểm.",
    "metric_tasks": "Nhiệm vụ hoàn thành",
    "metric_overdue": "Nhiệm vụ quá hạn",
    "metric_coverage": "Đơn vị đã báo cáo",
    "of": "{part}/{whole}",
    "by_area": "Mức đạt theo lĩnh vực",
    "heatmap": "Đơn vị × lĩnh vực",
    "trend": "Diễn biến lũy kế từ đầu năm",
    "trend_quarters": "Diễn biến theo từng quý",
    "at_risk": "Chỉ tiêu chưa đạt hoặc có nguy cơ không đạt cuối năm",
    "overdue": "Nhiệm vụ quá hạn",
    "freshness": "Tình hình nộp báo cáo kỳ này",
    "none_at_risk": "Không có chỉ tiêu nào chưa đạt.",
    "none_overdue": "Không có nhiệm vụ quá hạn.",
    "period": "Kỳ báo cáo",
    "as_of": "Ngày xét",
    "as_of_help": "Nhiệm vụ có hạn đến ngày này mà chưa xong được tính là quá hạn. Mặc định: ngày cuối kỳ.",
    "open": "Xem",
}
AREA_PAGE = {
    "title": "Lĩnh vực",
    "choose": "Lĩnh vực",
    "summary": "Mức đạt: {attainment} · {status} · chỉ tiêu đạt {met}/{targets} · nhiệm vụ quá hạn {overdue} · báo cáo đã nhận {coverage}",
    "targets": "Chỉ tiêu của lĩnh vực",
    "units": "Theo đơn vị",
    "tasks": "Nhiệm vụ của lĩnh vực",
}
UNIT_PAGE = {
    "title": "Đơn vị",
    "choose": "Đơn vị",
    "summary": "Mức đạt: {attainment} · {status} · chỉ tiêu đạt {met}/{targets} · nhiệm vụ quá hạn {overdue} · báo cáo đã nhận {coverage}",
    "targets": "Chỉ tiêu đơn vị báo cáo (số liệu của chính đơn vị)",
    "tasks": "Nhiệm vụ đơn vị chủ trì",
    "none": "Đơn vị này chưa có số liệu trong kỳ.",
}
COMPARE_PAGE = {
    "title": "So sánh",
    "caption": "So sánh trên các chỉ tiêu có cùng mã chỉ số chuẩn (ví dụ các chỉ số của Quyết định 766), cùng kỳ.",
    "years": "{organisation} qua các năm",
    "organisations": "Các Sở cùng năm {year}",
    "indicator": "Chỉ số",
    "none": "Chưa có chỉ tiêu nào có chỉ số chuẩn để so sánh.",
}
TARGET_ROW_COLUMNS = {"code": G["code"], "text": G["text"], "target": G["target"], "actual_shown": G["actual"],
                      "attainment_shown": G["attainment"], "status_label": G["status"],
                      "coverage_shown": G["coverage"], "name": G["unit"], "organisation": G["organisation"],
                      "year": G["year"], "indicator": G["indicator"]}
TASKS_PAGE = {
    "title": "Nhiệm vụ",
    "caption": "Tiến độ các nhiệm vụ của kế hoạch tại {period} (ngày xét {as_of}).",
    "lead": "Đơn vị chủ trì",
    "all": "Tất cả đơn vị",
    "timeline": "Theo hạn hoàn thành",
    "no_due": "{count} nhiệm vụ không có hạn cụ thể (thường xuyên, theo sự kiện, theo chỉ đạo) không có trên trục thời gian.",
    "overdue": "Nhiệm vụ quá hạn",
    "all_tasks": "Tất cả nhiệm vụ",
    "none": "Không có nhiệm vụ nào.",
}
TARGET_PAGE = {
    "title": "Chỉ tiêu",
    "caption": "Số liệu của từng đơn vị cho một chỉ tiêu tại {period}, tới từng lần nộp (ai, khi nào, tệp nào).",
    "choose": "Chỉ tiêu",
    "summary": "Kế hoạch: {target} · Thực hiện: {actual} · Đánh giá: {status} · Đơn vị đã báo cáo: {coverage}",
    "conflict": "Thân kế hoạch và phụ lục nêu khác nhau: đang đo theo {measured}, giá trị còn lại {other} (cần chốt).",
    # Same figure, different scope or wording: saying "measured by 100, the other value 100" would read as no
    # difference at all, so the page says what differs, in the transcriber's words.
    "conflict_same_value": "Thân kế hoạch và phụ lục cùng nêu mức {measured} nhưng khác nhau về nội dung (cần chốt).",
    "no_figures": "Chưa có đơn vị nào báo cáo chỉ tiêu này trong kỳ.",
}
TASK_COLUMNS = {"code": G["code"], "text": G["text"], "lead": G["lead"], "deadline": G["deadline"], "due": G["due"],
                "state_label": G["state"], "progress": G["progress"]}
DETAIL_COLUMNS = {key: G[key] for key in ("unit", "period", "numerator", "denominator", "rate", "value", "done",
                                          "baseline", "note", "evidence", "submitted_by", "submitted_at",
                                          "file_name")}
FRESHNESS = {"reported": "Đã nộp", "partial": "Còn thiếu quý trước", "late": "Quá hạn nộp",
             "waiting": "Chưa nộp (chưa đến hạn)"}
OVERVIEW_COLUMNS = {key: G[key] for key in ("code", "text", "target", "actual", "status", "responsible", "deadline",
                                            "due", "lead", "unit", "last", "state")} | {"by": G["submitted_by"]}

COLUMNS_SHOWN = {  # headings of the tables on the "Kế hoạch" page
    "section_number": "Mục",
    "code": G["code"],
    "area": G["area"],
    "text": G["text"],
    "target": G["target"],
    "unit_of_measure": "Đơn vị tính",
    "kind": "Loại",
    "aggregation": "Cộng dồn qua các kỳ",
    "direction": "Chiều tốt",
    "stated_in": "Nêu tại",
    "responsible": G["responsible"],
    "conflict": "Mâu thuẫn",
    "same_as": "Trùng với chỉ tiêu",
    "indicator": G["indicator"],
    "source": "Nguồn",
    "flags": "Cờ",
    "product": "Sản phẩm",
    "lead": G["lead"],
    "coordinating": "Phối hợp",
    "deadline": "Thời hạn (nguyên văn)",
    "deadline_kind": "Loại thời hạn",
    "due": "Hạn",
    "budget": "Kinh phí (tr.đ)",
    "heading": "Tên trong kế hoạch",
    "canonical": "Lĩnh vực chuẩn",
    "n_targets": "Số chỉ tiêu",
    "n_tasks": "Số nhiệm vụ",
    "name": "Tên đơn vị",
    "aliases": "Tên gọi khác",
    "unit_kind": "Loại",
    "body": "Thân kế hoạch",
    "appendix": "Phụ lục",
    "note": "Ghi chú",
    "status": "Tình trạng",
}


def search_key(value: str | None) -> str:
    """Accent-free lower case, for search boxes: "Văn phòng Sở" -> "van phong so"."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", str(value).casefold().replace("đ", "d"))
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


# ---------------------------------------------------------------- report templates (docs/template-format.md)
TEMPLATE = {
    "title_targets": "SỐ LIỆU CHỈ TIÊU CCHC · {unit} · {period}",
    "title_tasks": "TIẾN ĐỘ NHIỆM VỤ CCHC · {unit} · {period}",
    "sheet_guide": "Hướng dẫn",
    "sheet_targets": "Chỉ tiêu",
    "sheet_tasks": "Nhiệm vụ",
    "sheet_meta": "_meta",
    "sheet_lists": "_lists",
    "yes": "Có",
    "no": "Không",
    "guide": [
        "BIỂU MẪU BÁO CÁO CẢI CÁCH HÀNH CHÍNH",
        "Kế hoạch: {plan} · Đơn vị: {unit} · Kỳ báo cáo: {period} · Hạn nộp: {deadline}",
        "",
        "Cách điền:",
        "1. Chỉ điền vào các ô nền vàng. Các ô khác đã khóa (mã, nội dung, chỉ tiêu).",
        "2. Sheet «Chỉ tiêu»: chỉ tiêu tỷ lệ điền Tử số và Mẫu số (số nguyên, ví dụ 1.234), không điền tỷ lệ %;"
        " chỉ tiêu giá trị điền Giá trị; chỉ tiêu có/không chọn Có hoặc Không.",
        "   Chỉ tiêu «tăng/giảm so với năm trước» điền thêm số cùng kỳ năm trước.",
        "   Không phát sinh (ví dụ không có hồ sơ nào): để 0/0 hoặc để trống; KHÔNG ghi 0 vào Tử số nếu Mẫu số trống.",
        "3. Sheet «Nhiệm vụ»: chọn Tình trạng trong danh sách; «Hoàn thành» thì ghi Ngày hoàn thành (dd/mm/yyyy).",
        "4. Chưa đạt chỉ tiêu thì ghi giải trình ở cột Ghi chú. Minh chứng: đường link http(s).",
        "5. Không đổi tên sheet, không xóa dòng ẩn, không gộp ô. Có thể thêm cột ghi chú riêng ở bên phải.",
        "6. Lưu tệp dạng Excel (.xlsx) rồi tải lên ở trang «Nhập số liệu», hoặc:"
        " python -m kpi actuals import TỆP.xlsx",
        "",
        "Dữ liệu đã nộp trước đó (nếu có) được điền sẵn để sửa; nộp lại sẽ thay bản cũ (bản cũ vẫn được lưu).",
    ],
}

# Column headings of the report template, by machine key (row 2 shows these, row 3 holds the keys).
TEMPLATE_COLUMNS = {
    "unit": "Đơn vị",
    "code": "Mã",
    "area": "Lĩnh vực",
    "text": "Nội dung chỉ tiêu",
    "task_text": "Nội dung nhiệm vụ",
    "target": "Chỉ tiêu kế hoạch",
    "unit_of_measure": "Đơn vị tính",
    "numerator": "Tử số",
    "denominator": "Mẫu số",
    "value": "Giá trị",
    "done": "Đã hoàn thành (Có/Không)",
    "baseline": "Cùng kỳ năm trước",
    "note": "Ghi chú / giải trình",
    "evidence": "Minh chứng (đường dẫn)",
    "product": "Sản phẩm",
    "deadline": "Thời hạn",
    "due": "Hạn (ngày)",
    "status": "Tình trạng",
    "progress": "% hoàn thành",
    "completed_on": "Ngày hoàn thành",
    "result": "Kết quả / sản phẩm đạt được",
}


SNAPSHOT = {  # meeting snapshots and exports (kpi/meetings/snapshots.py, kpi/meetings/export/, page «Báo cáo họp»)
    "title": "«{name}» (số {id}, chụp lúc {at})",
    "now": "Số liệu hiện tại (tính đến {as_of})",
    "banner": "Đang xem ẢNH CHỤP «{name}» (số {id}), đóng băng lúc {at} bởi {by}; số liệu tính đến {as_of}. "
              "Các lần nộp sau thời điểm này không làm thay đổi ảnh chụp.",
    "report_title": "Báo cáo tiến độ thực hiện kế hoạch cải cách hành chính",
    "export_done": "Đã xong tệp {fmt} ({size} KB)",
    "report_period": "Kỳ báo cáo: {period} · Số liệu tính đến {as_of}",
    "report_source_snapshot": "Ảnh chụp «{name}» (số {id}), chụp lúc {at} bởi {by}",
    "report_source_live": "Số liệu hiện tại, xuất lúc {at}",
    "report_illustrative": "DỮ LIỆU MINH HỌA: số liệu không phải báo cáo thật của các đơn vị.",
    "page": "Trang {page}/{pages}",
    "summary": "Tóm tắt",
    "by_area": "Mức đạt theo lĩnh vực cải cách",
    "unit_area": "Mức đạt theo đơn vị và lĩnh vực",
    "targets": "Chỉ tiêu và đánh giá",
    "overdue": "Nhiệm vụ quá hạn",
    "coverage": "Tình hình nộp báo cáo",
    "changes": "Thay đổi so với lần họp trước",
    "changes_against": "So với ảnh chụp «{name}» (số {id}, chụp lúc {at})",
    "no_previous": "Chưa có ảnh chụp trước để so sánh.",
    "no_changes": "Không có thay đổi.",
    "none": "Không có.",
    "targets_met": "Chỉ tiêu mới đạt",
    "targets_missed": "Chỉ tiêu không còn đạt",
    "areas_change": "Thay đổi theo lĩnh vực",
    "units_change": "Thay đổi theo đơn vị",
    "tasks_overdue": "Nhiệm vụ mới quá hạn",
    "tasks_completed": "Nhiệm vụ mới hoàn thành",
    "reported_since": "Đơn vị đã nộp báo cáo từ lần trước",
    "area_slide": "Lĩnh vực: {name}",
    "plan_line": "Kế hoạch 100%",
    "attainment_series": "Mức đạt (%)",
    "unit": "Đơn vị",
}

SNAPSHOT_COLUMNS = {key: G[key] for key in ("unit", "code", "text", "target", "actual", "attainment", "status",
                                            "coverage", "deadline", "due", "lead", "last", "state", "period",
                                            "submitted_at", "file_name", "responsible")} | {
    "name": G["area"], "by": G["submitted_by"], "targets_met": "Chỉ tiêu đạt", "targets": "Số chỉ tiêu",
    "tasks_overdue": "NV quá hạn", "before": "Trước", "after": "Sau", "change": "Thay đổi (điểm %)",
    "status_before": "Đánh giá trước", "status_after": "Đánh giá sau", "unit_coverage": "Tỷ lệ số liệu",
    "reason": "Vì sao thay đổi",
}

# Why a row of the change list changed when its figures alone do not say (kpi/meetings/snapshots.py `compare`):
# "100,0% → 100,0%" with a new status needs one of these beside it. Parts are joined with "; ".
SNAPSHOT_REASONS = {
    "goal": "Chỉ tiêu kế hoạch đổi: {before} → {after}",
    "result": "Kết quả đổi: {before} → {after}",
    "baseline": "Mốc so sánh đổi: {before} → {after}",
    "coverage": "Đơn vị đã báo cáo: {before} → {after}",
    "status": "Đánh giá: {before} → {after}",
    "with_data": "Số chỉ tiêu, nhiệm vụ có số liệu: {before} → {after}",
    "precision": "Mức đạt đổi ít hơn 0,1 điểm % (không thấy khi làm tròn): {before} → {after}",
    "join": "; ",
}

MEETING_CLI = {
    "created": "Đã tạo ảnh chụp số {id} «{name}» ({period}, số liệu tính đến {as_of}).",
    "none": "Chưa có ảnh chụp nào.",
    "columns": {"id": "Số", "plan": "Kế hoạch", "period_label": "Kỳ", "name": "Tên", "created_by": "Người tạo",
                "created_at": "Lúc", "attainment": "Mức đạt"},
    "compare_header": "Thay đổi từ {before} đến {after}:",
    "confirm_delete": "Xóa hẳn ảnh chụp {title}?",
    "deleted": "Đã xóa ảnh chụp {title}.",
    "export_source": "Chọn một nguồn: --snapshot SỐ, hoặc --plan KẾ_HOẠCH --period KỲ.",
    "exported": "Đã xuất {path} ({size} KB).",
}

MEETING_PAGE = {
    "title": "Báo cáo họp",
    "caption": "Chụp lại số liệu của kỳ trước cuộc họp; ảnh chụp không đổi dù đơn vị nộp bổ sung sau đó. "
               "Xem lại, so sánh với lần họp trước và xuất PDF, Excel, PowerPoint đúng số liệu trên màn hình.",
    "create": "Tạo ảnh chụp mới",
    "create_help": "Chụp số liệu {period}, tính đến {as_of} (đổi kỳ và ngày xét ở thanh bên).",
    "name": "Tên ảnh chụp",
    "name_default": "Họp giao ban {period}",
    "by": "Người tạo",
    "by_help": "Họ tên và đơn vị, ví dụ «Nguyễn Văn A, Văn phòng Sở».",
    "note": "Ghi chú (không bắt buộc)",
    "create_button": "Chụp và đóng băng số liệu",
    "created": "Đã tạo ảnh chụp {title}.",
    "no_snapshots": "Kế hoạch này chưa có ảnh chụp nào.",
    "no_snapshots_hint": "Tạo ảnh chụp ở mục «Tạo ảnh chụp mới» phía trên trước mỗi cuộc họp.",
    "snapshot": "Ảnh chụp",
    "tab_view": "Xem ảnh chụp",
    "tab_compare": "So sánh",
    "tab_export": "Xuất báo cáo",
    "tab_manage": "Danh sách, xóa",
    "note_shown": "Ghi chú: {note}",
    "compare_with": "So sánh với",
    "compare_now": "Số liệu hiện tại",
    "compare_caption": "Từ {before} đến {after}.",
    "export_source": "Xuất từ",
    "export_snapshot": "Ảnh chụp {title}",
    "export_live": "Số liệu hiện tại ({period}, theo thanh bên)",
    "export_help": "Tệp có đúng các con số trên màn hình; phần «thay đổi» so với ảnh chụp trước đó.",
    "export_button": {"pdf": "Tạo PDF (A4)", "xlsx": "Tạo Excel", "pptx": "Tạo PowerPoint"},
    "export_starting": "Đang chuẩn bị số liệu…",
    "download": "Tải tệp {fmt} ({size} KB)",
    "delete_title": "Xóa ảnh chụp",
    "delete_confirm": "Tôi muốn xóa hẳn ảnh chụp {title} (không khôi phục được).",
    "delete_button": "Xóa ảnh chụp",
    "deleted": "Đã xóa ảnh chụp {title}.",
}

MEETING_COLUMNS = {"id": "Số", "name": "Tên", "period": "Kỳ", "as_of": "Tính đến", "by": "Người tạo",
                   "at": "Lúc chụp", "attainment": "Mức đạt chung"}

# Strings of each export format (kpi/meetings/export/to_pdf.py, to_xlsx.py, to_pptx.py).
EXPORT_PDF = {
    "made_on": "Ngày lập báo cáo: {date}",
    "plan": "Kế hoạch: {plan}",
    "footer": "{plan} · {period}",
    "illustrative_mark": "DỮ LIỆU MINH HỌA",
    "bar_label": "{value} · {status}",
    "keywords": "cải cách hành chính, báo cáo tiến độ, {period}",
    "step_start": "Chuẩn bị tệp PDF",
    "step_cover": "Trang bìa và tóm tắt",
    "step_chart": "Biểu đồ mức đạt theo lĩnh vực",
    "step_unit_area": "Bảng đơn vị × lĩnh vực",
    "step_tables": "Chỉ tiêu, nhiệm vụ quá hạn, tình hình nộp báo cáo",
    "step_changes": "Thay đổi so với lần họp trước",
    "step_file": "Ghi tệp PDF",
    "step_done": "Đã xong",
}

EXPORT_XLSX = {
    "sheets": {  # at most 31 characters, none of []:*?/\ (Excel's rules for sheet names)
        "summary": "Tóm tắt", "by_area": "Theo lĩnh vực", "unit_area": "Đơn vị × lĩnh vực",
        "targets": "Chỉ tiêu", "overdue": "Nhiệm vụ quá hạn", "coverage": "Nộp báo cáo", "changes": "Thay đổi",
    },
    "progress": "Đang ghi sheet «{sheet}»",
    "organisation": "Cơ quan",
    "plan": "Kế hoạch",
    "period": "Kỳ báo cáo",
    "as_of": "Số liệu tính đến",
    "source": "Nguồn số liệu",
    "made_at": "Thời điểm xuất",
    "figures": "Số liệu chính",
    "figure": "Chỉ số",
    "value": "Giá trị",
    "targets_total": "Tổng số chỉ tiêu",
    "tasks_total": "Tổng số nhiệm vụ",
}

EXPORT_PPTX = {
    "step_title": "Trang bìa",
    "step_overview": "Trang tổng quan",
    "step_area": "Trang lĩnh vực {index}/{count}",
    "step_overdue": "Nhiệm vụ quá hạn",
    "step_changes": "Thay đổi so với lần họp trước",
    "step_pack": "Đóng gói tệp PowerPoint",
    "footer": "{plan} · {period}",
    "illustrative_short": "DỮ LIỆU MINH HỌA",
    "continued": "{title} (tiếp theo, {page}/{pages})",
    "overview_title": "Tổng quan",
    "units_chart": "Mức đạt của từng đơn vị trong lĩnh vực",
    "targets_chart": "Mức đạt của từng chỉ tiêu (chưa có số liệu theo đơn vị)",
    "no_chart": "Chưa có số liệu để vẽ biểu đồ.",
    "open_targets": "Chỉ tiêu chưa đạt: {count}/{total}",
    "all_met": "Tất cả {total} chỉ tiêu của lĩnh vực đều đạt.",
    "no_targets": "Lĩnh vực chưa có chỉ tiêu.",
    "more_targets": "… và {count} chỉ tiêu chưa đạt khác (xem báo cáo PDF hoặc trang «Lĩnh vực»).",
    "overdue_count": "{count} nhiệm vụ quá hạn, tính đến {as_of}",
    "more_overdue": "… còn {count} nhiệm vụ ở trang sau.",
    "counts": "Số mục thay đổi",
    "highlights": "Đáng chú ý",
    "change_kind": "Loại thay đổi",
    "change_count": "Số mục",
    "status_change": "{before} → {after}",
    "level_change": "{before} → {after} ({change} điểm %)",
    "change_reason": " · {reason}",
}


# Unexpected errors: what a person sees instead of a traceback (kpi/errors.py logs the traceback by id).
ERRORS = {
    "page": "Đã xảy ra lỗi ngoài dự kiến nên trang chưa hiển thị được. Không có dữ liệu nào bị ghi dở. "
            "Hãy tải lại trang; nếu lỗi còn, báo cho quản trị viên mã lỗi **{id}**.",
    "cli": "Đã xảy ra lỗi ngoài dự kiến (mã lỗi {id}). Không có dữ liệu nào bị ghi dở. "
           "Chi tiết kỹ thuật đã được ghi vào nhật ký lỗi {log} dưới mã này.",
    "disk_full": "Ổ đĩa chứa cơ sở dữ liệu đã đầy nên chưa ghi được (mã lỗi {id}). Không có dữ liệu nào bị ghi dở. "
                 "Hãy giải phóng dung lượng ổ đĩa rồi làm lại.",
    "read_only": "Không có quyền ghi vào thư mục hoặc tệp cơ sở dữ liệu (mã lỗi {id}). Không có dữ liệu nào bị ghi "
                 "dở. Hãy nhờ quản trị viên cấp quyền ghi rồi làm lại.",
}


# python -m kpi db check | recover (an administrator's commands; kpi/db/durability.py).
DB_CLI = {
    "no_file": "Không có tệp cơ sở dữ liệu {path}.",
    "state": {
        "ok": "Cơ sở dữ liệu {path} nhất quán: không có nhật ký ghi tạm chờ đọc lại, không thiếu lần ghi nào.",
        "wal_pending": "Cơ sở dữ liệu {path} có nhật ký ghi tạm {wal} chứa các lần ghi đã xác nhận nhưng chưa gộp "
                       "vào tệp (máy dừng đột ngột); nhật ký khớp với tệp và sẽ được đọc lại khi mở.",
        "wal_corrupt": "Nhật ký ghi tạm {wal} bị hỏng, không đọc lại được.",
        "wal_foreign": "Nhật ký ghi tạm {wal} là của một cơ sở dữ liệu khác, không phải {path}.",
        "wal_stale": "Nhật ký ghi tạm {wal} chứa các lần ghi mà {path} đã có (bản cũ).",
        "writes_lost": "Cơ sở dữ liệu {path} thiếu các lần ghi đã báo «đã lưu».",
    },
    "sequence": "Lần ghi cuối: trong tệp {file}; sau khi đọc nhật ký ghi tạm {replayed}; sổ ghi nhận {ledger}.",
    "detail": "Chi tiết: {detail}",
    "lost": "  - thiếu lần ghi {seq} ({action}, {at}): {detail}",
    "uploads": "Báo cáo đã nhận trong cơ sở dữ liệu: {count}; thiếu tệp gốc: {missing}.",
    "missing_original": "  - thiếu tệp gốc: {name} (sha256 {sha})",
    "confirm_recover": "Giữ bản sao {path} và nhật ký ghi tạm, để riêng nhật ký rồi mở lại. Tiếp tục?",
    "recovered": "Đã giữ bản sao trong {kept}; nhật ký ghi tạm đã được để riêng, cơ sở dữ liệu mở lại được.",
    "reapply": "Hãy nộp lại các báo cáo bị thiếu; tệp gốc của các báo cáo đã nhận nằm trong {originals}.",
    "copied": "Đã chép {tables} bảng, {rows} dòng sang {target}; từng bảng đã được đối chiếu số dòng và tổng kiểm tra.",
    "copied_table": "  {table}: {rows} dòng",
    "granted": "Vai trò {role} được đọc và ghi các bảng của chương trình; nhật ký thao tác và nhật ký ghi chỉ được "
               "thêm dòng, không được sửa hay xóa.",
    "not_a_file": "{path} là cơ sở dữ liệu PostgreSQL: lệnh này chỉ dành cho tệp DuckDB (PostgreSQL tự giữ nhật "
                  "ký ghi; sao lưu bằng pg_dump, xem docs/deploy.md).",
}


# Help of the command line's options (python -m kpi … --help); the commands' own help is their docstring.
CLI_HELP = {
    "password_stdin": "Đọc mật khẩu từ đầu vào chuẩn (một dòng); không bao giờ nhận mật khẩu trên dòng lệnh.",
    "db": "Tệp cơ sở dữ liệu DuckDB hoặc địa chỉ postgresql://… (mặc định data/cchc.duckdb, hoặc biến KPI_DATABASE).",
    "copy_to": "Nơi chép tới: địa chỉ postgresql://người_dùng:mật_khẩu@máy:cổng/tên hoặc đường dẫn tệp DuckDB.",
    "copy_replace": "Thay toàn bộ dữ liệu đang có ở nơi chép tới.",
    "grant_role": "Vai trò PostgreSQL mà trang tổng hợp dùng để kết nối (đã tạo bằng createuser).",
    "replace": "Thay kế hoạch đã có (cùng mã) bằng tệp này, trọn vẹn.",
    "plan": "Mã kế hoạch, ví dụ syt-dong-nai-2023.",
    "period": "Kỳ: 2023-Q1, 2023-Q2, 2023-H1, 2023-Q3, 2023-9M, 2023-Q4, 2023.",
    "as_of": "Ngày xét (mặc định: ngày cuối kỳ), dạng dd/mm/yyyy hoặc yyyy-mm-dd.",
    "by": "Cấp tổng hợp.",
    "remove": "Xóa toàn bộ dữ liệu minh họa (và chỉ dữ liệu minh họa).",
    "unit": "Mã hoặc tên đơn vị (như «plans show» liệt kê); ALL cho toàn Sở.",
    "period_2": "Kỳ: 2023-Q1, 2023-H1, 2023-Q3, 2023-9M, 2023 …",
    "blank": "Không điền sẵn số liệu đã nộp.",
    "yes": "Ghi ngay, không hỏi xác nhận.",
    "by_2": "Ghi chú hiển thị kèm lần nộp (không phải danh tính: người nộp là tài khoản --as).",
    "basis": "submitted: mọi báo cáo đã nộp (mặc định); approved: chỉ báo cáo Văn phòng Sở đã duyệt.",
    "as": "Thực hiện với tư cách tài khoản này (kiểm tra quyền như trên trang); bỏ trống: quản trị máy chủ.",
    "units": "Mã đơn vị mà tài khoản cán bộ đơn vị được nộp báo cáo (lặp lại cho nhiều đơn vị).",
    "plan_2": "Kế hoạch mà tệp phải thuộc về; biểu mẫu của kế hoạch khác bị từ chối.",
    "unit_2": "Đơn vị mà tệp phải của (mã hoặc tên, cần --plan); biểu mẫu của đơn vị khác bị từ chối.",
    "period_3": "Kỳ mà tệp phải báo cáo, ví dụ 2023-Q2; biểu mẫu của kỳ khác bị từ chối.",
    "unit_3": "Mã đơn vị (mặc định: mọi đơn vị).",
    "undo": "Hủy phê duyệt.",
    "name": "Tên ảnh chụp, ví dụ «Họp giao ban Quý III/2023».",
    "by_3": "Họ tên người tạo.",
    "note": "Ghi chú.",
    "as_of_2": "Ngày xét (mặc định: ngày cuối kỳ).",
    "plan_3": "Chỉ các ảnh chụp của kế hoạch này.",
    "yes_2": "Xóa ngay, không hỏi xác nhận.",
    "snapshot": "Số ảnh chụp (snapshot list).",
    "plan_4": "Mã kế hoạch (xuất số liệu hiện tại).",
    "period_4": "Kỳ, khi xuất số liệu hiện tại: 2023-Q3 …",
    "yes_3": "Làm ngay, không hỏi xác nhận.",
}


# What the first bytes of a refused file say it is (kpi/excel/safety.py), in a problem's message.
FILE_KINDS = {
    "zip": "zip", "cfb": "tệp Office cũ (.xls) hoặc tệp được mã hóa", "html": "trang HTML", "pdf": "tệp PDF",
    "png": "ảnh PNG", "jpeg": "ảnh JPEG", "program": "tệp chương trình", "xml": "tệp XML",
    "text": "văn bản thuần (có thể là CSV)", "binary": "dữ liệu nhị phân không rõ",
    "zip_not_excel": "tệp zip không phải sổ tính Excel", "zip_not_sheet": "tệp zip không phải bảng tính",
}


def more_than(amount: str) -> str:
    """"hơn 100 MB": a size or count only known to exceed a limit."""
    return f"hơn {amount}"


# The report template's input rules, shown by Excel when a cell is typed wrong (kpi/excel/template.py).
TEMPLATE_VALIDATION = {
    "title": "Số không hợp lệ",
    "count": "Nhập số nguyên không âm, không có dấu chấm hay dấu phẩy, ví dụ 1234. Máy tính dùng dấu chấm thập "
             "phân kiểu Anh hiểu 1.150 là 1,15.",
    "number": "Nhập một con số.",
    "percent": "Nhập tỷ lệ kèm dấu %, ví dụ 96,5%; không quá 100%.",
    "progress": "Nhập số từ 0 đến 100.",
    "date": "Nhập ngày dạng dd/mm/yyyy trong năm {year}.",
    "all_units": "Tất cả đơn vị",
}

# Where a problem is, as a person reads it (kpi/problems.py): "dòng 7–9, cột E".
LOCATION = {"rows": "dòng {rows}", "column": "cột {column}", "line": " (dòng {lines})", "above": "trên"}

# A comparator said in words (kpi/rules/comparators.py): "tối thiểu 96%".
COMPARATOR_SENTENCES = {
    ">=": "tối thiểu {value}", ">": "trên {value}", "<=": "tối đa {value}", "<": "dưới {value}",
    "=": "bằng {value}", "increase": "tăng so với kỳ trước", "decrease": "giảm so với kỳ trước",
    "done": "hoàn thành",
}


# The upload preview (kpi/excel/upload.py): what each row is and how it changes.
PREVIEW = {
    "target": "Chỉ tiêu", "task": "Nhiệm vụ", "status": "Tình trạng",
    "numerator": "Tử số", "denominator": "Mẫu số", "value": "Giá trị", "done": "Hoàn thành",
    "baseline": "Cùng kỳ năm trước",
    "new": "mới", "same": "không đổi", "changed": "thay đổi",
    "whole_department": "toàn Sở",
    "did_you_mean": " (có phải «{guess}»?)",
    "more_ranges": "{first} (và {count} vùng khác)",
}


# Accounts (kpi/accounts.py, python -m kpi users …).
BASES = {"submitted": "Tất cả báo cáo đã nộp", "approved": "Chỉ báo cáo đã duyệt"}
BASIS_URL = {"submitted": "tat-ca", "approved": "da-duyet"}  # ?so-lieu=da-duyet in a shared link
ROLES = {"admin": "Quản trị", "lanh_dao": "Lãnh đạo Sở", "van_phong": "Văn phòng Sở", "don_vi": "Cán bộ đơn vị",
         "server": "Quản trị máy chủ", "legacy": "Trước khi có tài khoản", "?": "Không rõ"}
CHANNELS = {"web": "Trang tổng hợp", "cli": "Dòng lệnh", "test": "Kiểm thử", "legacy": "Nhật ký cũ"}
USERS_CLI = {
    "created": "Đã tạo tài khoản {username} ({role}).",
    "password_prompt": "Mật khẩu (đọc từ đầu vào chuẩn, một dòng):",
    "columns": {"username": "Tên đăng nhập", "display_name": "Họ tên", "role": "Vai trò", "org_id": "Cơ quan",
                "units": "Đơn vị", "email": "Thư điện tử",
                "locked": "Đang khóa", "created_at": "Tạo lúc"},
    "none": "Chưa có tài khoản nào.",
}


# ---- reminders and the audit trail (issue 16)
# The e-mail that reminds a unit (kpi/cycle/reminders.py): before the deadline, and after it.
REMINDER_MAIL = {
    "subject_before": "[Nhắc báo cáo] {unit}: báo cáo {period} hạn ngày {deadline}",
    "subject_after": "[Quá hạn báo cáo] {unit}: chưa nộp báo cáo {period} (hạn ngày {deadline})",
    "greeting": "Kính gửi {unit},",
    "body_before": "Văn phòng {organisation} nhắc: đơn vị chưa nộp báo cáo {period} theo «{plan}». "
                   "Hạn nộp là ngày {deadline}. Đề nghị đơn vị tải biểu mẫu, điền số liệu và nộp trước hạn.",
    "body_after": "Văn phòng {organisation} thông báo: đã quá hạn nộp báo cáo {period} theo «{plan}» (hạn ngày "
                  "{deadline}) mà đơn vị chưa nộp. Đề nghị đơn vị nộp ngay; cần lùi hạn thì liên hệ Văn phòng Sở.",
    "link": "Tải biểu mẫu và nộp báo cáo tại trang «Nhập số liệu»: {url}",
    "no_link": "Tải biểu mẫu và nộp báo cáo tại trang «Nhập số liệu» của hệ thống theo dõi kế hoạch CCHC.",
    "signature": "Thư này được gửi tự động từ hệ thống theo dõi kế hoạch cải cách hành chính của {organisation}; "
                 "đơn vị đã nộp rồi thì không cần trả lời.",
}
REMINDER_KINDS = {"before": "Nhắc trước hạn", "after": "Báo quá hạn"}
REMINDER_OUTCOMES = {"sent": "Đã gửi", "failed": "Không gửi được", "no_address": "Đơn vị chưa có địa chỉ thư",
                     "dry_run": "Thử, không gửi"}
REMINDER_REASONS = {
    "not_configured": "chưa cấu hình máy chủ thư (nhờ quản trị viên đặt máy chủ gửi thư)",
    "connection": "không kết nối được máy chủ thư (máy chủ tắt, sai địa chỉ hoặc cổng)",
    "timeout": "máy chủ thư không trả lời kịp",
    "login": "máy chủ thư từ chối tên đăng nhập hoặc mật khẩu",
    "tls": "không lập được kết nối mã hóa với máy chủ thư",
    "address": "máy chủ thư từ chối địa chỉ gửi hoặc nhận",
    "other": "máy chủ thư báo lỗi khi gửi",
}
REMINDER_COLUMNS = {"unit": "Đơn vị", "address": "Địa chỉ thư", "kind": "Loại thư", "outcome": "Kết quả"}
REMINDER_PANEL = {
    "title": "Gửi nhắc báo cáo",
    "pending": "{count} đơn vị chưa nộp báo cáo {period} (hạn ngày {deadline}).",
    "none_pending": "Mọi đơn vị đã nộp báo cáo {period}: không cần nhắc.",
    "send": "Gửi nhắc báo cáo",
    "send_help": "Gửi thư điện tử tới từng tài khoản của các đơn vị chưa nộp; mỗi lần gửi được ghi lại.",
    "dry_run": "Thử, không gửi",
    "dry_run_help": "Xem sẽ gửi cho ai mà không gửi thư nào (vẫn ghi lại lần thử).",
    "summary": "Đã gửi {sent} thư; không gửi được {failed}; đơn vị chưa có địa chỉ {no_address}; thử {dry_run}.",
    "failed": "Có {failed} thư không gửi được: {reasons}. Các lần gửi đều đã được ghi lại; sửa xong thì gửi lại.",
    "not_allowed": "Chỉ Văn phòng Sở được gửi nhắc báo cáo.",
}
REMIND_CLI = {
    "header": "Nhắc báo cáo {period} của {plan} ({kind}, hạn ngày {deadline}):",
    "none": "Không có đơn vị nào cần nhắc: mọi đơn vị đã nộp báo cáo {period}.",
    "line": "- {unit} · {address}: {message}",
}

# The audit trail (kpi/audit.py): every action's name, the page "Nhật ký thao tác", `python -m kpi audit`.
AUDIT_ACTIONS = {
    "db_copy": "Chuyển toàn bộ cơ sở dữ liệu",
    "plan_import": "Nhập kế hoạch", "upload_applied": "Nộp báo cáo", "upload_rejected": "Báo cáo bị từ chối",
    "duplicate_ignored": "Nộp trùng, bỏ qua", "submission_restore": "Khôi phục lần nộp trước",
    "submission_approve": "Duyệt báo cáo", "submission_return": "Trả lại báo cáo", "period_lock": "Khóa kỳ",
    "period_unlock": "Mở khóa kỳ", "period_allow": "Cho phép nộp muộn", "period_approve": "Duyệt số liệu kỳ",
    "period_unapprove": "Bỏ duyệt số liệu kỳ", "deadline_set": "Đặt hạn nộp", "snapshot_create": "Chụp số liệu",
    "snapshot_delete": "Xóa ảnh chụp", "account_create": "Tạo tài khoản", "account_change": "Sửa tài khoản",
    "account_password": "Đổi mật khẩu", "sign_in": "Đăng nhập", "sign_in_failed": "Đăng nhập sai",
    "sign_out": "Đăng xuất", "reminder": "Gửi nhắc báo cáo", "explanation": "Giải trình số liệu",
    "area_comment": "Nhận xét lĩnh vực", "refused": "Bị từ chối", "legacy_upload": "Nộp báo cáo (nhật ký cũ)",
}
# What a refused request asked for (kpi/access.py PERMISSIONS), shown beside "Bị từ chối".
AUDIT_PERMISSIONS = {
    "read": "xem số liệu", "upload": "nộp báo cáo", "explain": "giải trình", "cycle": "quản lý kỳ báo cáo",
    "comment": "nhận xét lĩnh vực", "remind": "gửi nhắc báo cáo", "plans": "quản lý kế hoạch",
    "accounts": "quản lý tài khoản", "accounts_admin": "quản lý quản trị viên", "snapshot": "chụp số liệu",
    "audit": "xem nhật ký thao tác",
}
# The keys of an entry's detail, as a person reads them.
AUDIT_DETAIL = {
    "kind": "loại", "outcome": "kết quả", "reason": "lý do", "error": "lỗi", "code": "mã", "org": "cơ quan",
    "size": "dung lượng (byte)", "rows": "số dòng", "note": "ghi chú", "comment": "nhận xét", "reason_text": "lý do",
    "role": "vai trò", "units": "đơn vị", "email": "thư điện tử", "before": "trước", "after": "sau",
    "due": "hạn nộp", "grace_days": "số ngày gia hạn", "file_name": "tệp", "submission": "lần nộp",
}
AUDIT_COLUMNS = {"seq": "Số", "at": "Thời điểm", "person": "Người thực hiện", "role": "Vai trò",
                 "channel": "Kênh", "action": "Thao tác", "plan": "Kế hoạch", "unit": "Đơn vị", "period": "Kỳ",
                 "subject": "Đối tượng", "detail": "Chi tiết", "sha256": "Dấu kiểm tra của tệp"}
AUDIT_PAGE = {
    "title": "Nhật ký thao tác",
    "caption": "Mọi thao tác ghi dữ liệu và mọi yêu cầu bị từ chối: ai, vai trò gì, lúc nào (giờ Việt Nam), qua "
               "kênh nào, làm gì. Các dòng nối với nhau bằng mã kiểm tra, nên sửa, xóa hay chèn dòng ngoài ứng "
               "dụng đều bị phát hiện.",
    "plan": "Kế hoạch", "all_plans": "Tất cả kế hoạch", "since": "Từ ngày", "person": "Người thực hiện",
    "all_people": "Tất cả mọi người", "action": "Thao tác", "all_actions": "Tất cả thao tác",
    "count": "{count} dòng nhật ký.",
    "empty": "Không có dòng nhật ký nào khớp bộ lọc.",
    "download": "Tải bảng này (Excel)",
    "sheet": "Nhật ký thao tác",
    "integrity": "Kiểm tra tính toàn vẹn",
    "integrity_help": "Tính lại chuỗi mã kiểm tra của toàn bộ nhật ký, từ dòng đầu tiên.",
}
AUDIT_VERIFY = {
    "intact": "Nhật ký nguyên vẹn: {count} dòng, dòng cuối số {seq}, mã kiểm tra {hash}. Ghi mã này vào biên "
              "bản để lần sau so sánh.",
    "empty": "Nhật ký chưa có dòng nào.",
    "broken": "Nhật ký đã bị can thiệp ngoài ứng dụng ({count} chỗ):",
    "changed": "Dòng {seq}: nội dung đã bị sửa sau khi ghi.",
    "missing": "Dòng {first}–{last}: đã bị xóa (dòng {seq} đứng ngay sau chỗ thiếu).",
    "missing_one": "Dòng {first}: đã bị xóa (dòng {seq} đứng ngay sau chỗ thiếu).",
    "inserted": "Dòng {seq}: được chèn vào ngoài ứng dụng (không nối đúng với dòng trước).",
    "hint": "Đối chiếu với bản sao lưu gần nhất và báo quản trị viên hệ thống; không sửa tay nhật ký.",
}
AUDIT_CLI = {"none": "Không có dòng nhật ký nào khớp bộ lọc."}
CLI_HELP.update({
    "remind_dry_run": "Chỉ ghi lại sẽ nhắc ai, không gửi thư nào.",
    "audit_plan": "Chỉ các dòng của kế hoạch này.",
    "audit_since": "Từ ngày (dd/mm/yyyy hoặc yyyy-mm-dd, giờ Việt Nam).",
    "audit_actor": "Chỉ các dòng của tài khoản này (tên đăng nhập).",
    "audit_action": "Chỉ một loại thao tác.",
})
# ---- commentary: units' explanations and the office's comments on areas (issue 16)
# (kpi/commentary.py; pages «Chỉ tiêu» and «Lĩnh vực»; the meeting exports)
PROBLEMS.update({
    "commentary_too_long": Msg("{what} dài {length} ký tự, quá giới hạn {limit} ký tự; không có gì được ghi.",
                               "Rút gọn còn tối đa {limit} ký tự; chi tiết dài hơn đưa vào tệp báo cáo kèm theo."),
    "commentary_target_unknown": Msg("Kế hoạch không có chỉ tiêu «{value}».", "Chọn một chỉ tiêu trong danh sách."),
    "commentary_unit_unknown": Msg("Cơ quan không có đơn vị «{value}».", "Chọn một đơn vị trong danh sách."),
    "commentary_area_unknown": Msg("Kế hoạch không có lĩnh vực «{value}».", "Chọn một lĩnh vực trong danh sách."),
})
COMMENTARY = {
    "explanation": "Giải trình",
    "area_comment": "Nhận xét",
    "explanations": "Giải trình của đơn vị",
    "explanations_caption": "Đơn vị giải trình số liệu của mình trong kỳ. Viết trên trang thì thay cho ghi chú "
                            "trong tệp báo cáo; để trống rồi lưu thì quay lại ghi chú trong tệp (nếu có).",
    "explanation_of": "Giải trình của {unit}",
    "save_explanation": "Lưu giải trình",
    "saved_explanation": "Đã lưu giải trình của {unit}.",
    "removed_explanation": "Đã xóa giải trình viết trên trang của {unit}.",
    "unchanged": "Nội dung không đổi; không có gì được ghi.",
    "source_page": "Viết trên trang bởi {by}, lúc {at}.",
    "source_file": "Theo cột «Ghi chú / giải trình» của báo cáo do {by} nộp lúc {at}.",
    "no_explanation": "Chưa có giải trình.",
    "area_comment_title": "Nhận xét của Văn phòng Sở",
    "area_comment_help": "Nhận xét về lĩnh vực trong kỳ; đưa vào ảnh chụp và báo cáo họp. Để trống rồi lưu để xóa.",
    "save_area_comment": "Lưu nhận xét",
    "saved_area_comment": "Đã lưu nhận xét của Văn phòng Sở.",
    "removed_area_comment": "Đã xóa nhận xét của Văn phòng Sở.",
    "no_area_comment": "Văn phòng Sở chưa có nhận xét cho lĩnh vực này trong kỳ.",
    "written": "{by}, lúc {at}",
    # exports
    "area_comment_line": "Nhận xét của Văn phòng Sở: {comment}",
    "area_comment_by": "({by}, {at})",
    "explanations_slide": "Giải trình của đơn vị về chỉ tiêu chưa đạt",
    "explanations_none": "Không có giải trình cho chỉ tiêu chưa đạt.",
    "more_explanations": "… còn {count} giải trình ở trang sau.",
    "area_comments_title": "Nhận xét của Văn phòng Sở theo lĩnh vực",
}
COMMENTARY_SOURCES = {"page": "Viết trên trang", "file": "Tệp báo cáo"}
COMMENTARY_COLUMNS = {"code": G["code"], "target": "Chỉ tiêu", "unit": G["unit"], "text": "Giải trình",
                      "source": "Nguồn", "by": "Người viết", "at": "Lúc", "area": G["area"], "comment": "Nhận xét"}
# The workbook's sheets (kpi/meetings/export/to_xlsx.py, in this order): the office's comments after the areas,
# the units' explanations after the targets.
_COMMENTARY_SHEETS = {"by_area": ("area_comments", "Nhận xét lĩnh vực"), "targets": ("explanations", "Giải trình")}
_sheets: dict[str, str] = {}
for _key, _name in EXPORT_XLSX["sheets"].items():
    _sheets[_key] = _name
    if _key in _COMMENTARY_SHEETS:
        _sheets[_COMMENTARY_SHEETS[_key][0]] = _COMMENTARY_SHEETS[_key][1]
EXPORT_XLSX["sheets"] = _sheets
del _sheets, _key, _name

# ---- the reporting cycle run by the office, «Tình hình báo cáo» (issue 16)
CYCLE_STATES = {"missing": "Chưa nộp", "late": "Nộp muộn", "returned": "Bị trả lại", "on_time": "Đúng hạn"}
REVIEW = {"submitted": "Chờ duyệt", "approved": "Đã duyệt", "returned": "Bị trả lại"}
CYCLE = {
    "who_reopens": "Văn phòng Sở ({names})",
    "summary": "Đã nhận {received}/{expected} báo cáo ({completeness}) · đúng hạn {on_time}/{expected} "
               "({timeliness}) · nộp muộn {late} · bị trả lại {returned} · chưa nộp {missing}",
    "summary_due": " · hạn nộp {due}",
    "deadline_grace": " (gia hạn {days} ngày, nhận đến hết {last})",
    "metric_completeness": "Đã nhận báo cáo",
    "metric_timeliness": "Đúng hạn",
    "basis": "Số liệu tính trên tất cả báo cáo đã nộp: {approved} báo cáo đã duyệt, {waiting} chưa duyệt, "
             "{returned} bị trả lại.",
    "basis_all_approved": "Số liệu tính trên tất cả báo cáo đã nộp; cả {approved} báo cáo đều đã được duyệt.",
    "basis_approved_only": "Số liệu chỉ tính báo cáo đã duyệt ({approved} báo cáo); chưa tính {waiting} báo cáo chờ "
                           "duyệt và {returned} báo cáo bị trả lại.",
    "reporting_title": "Tình hình báo cáo",
    "reporting_caption": "Đơn vị chưa nộp và nộp muộn đứng đầu. Đúng hạn: báo cáo đầu tiên đến trước hoặc trong "
                         "ngày hạn nộp; bị trả lại: Văn phòng Sở trả lại, chờ đơn vị nộp lại.",
    "none_expected": "Kế hoạch chưa giao đơn vị nào báo cáo.",
    # the office's page
    "page_title": "Điều hành kỳ báo cáo",
    "page_caption": "Hạn nộp, khóa kỳ, mở lại cho từng đơn vị, duyệt hoặc trả lại từng báo cáo, phê duyệt kỳ.",
    "refused": "Trang này dành cho Văn phòng Sở. Tài khoản của bạn không có quyền điều hành kỳ báo cáo.",
    "refused_hint": "Cần thay đổi hạn nộp hay mở lại kỳ, hãy liên hệ Văn phòng Sở.",
    "period": "Kỳ báo cáo",
    "state": "Kỳ {period}: hạn nộp {due}{grace} · {lock} · {approval}",
    "grace_part": ", gia hạn thêm {days} ngày (nhận đến hết {last})",
    "rule_part": " (theo quy định chung, chưa đặt riêng; kỳ không tự đóng)",
    "open": "đang mở",
    "closed": "đã hết hạn, đóng từ {date}",
    "locked": "khóa từ {date}",
    "approved": "đã phê duyệt ({by})",
    "not_approved": "chưa phê duyệt",
    "deadline_header": "Hạn nộp",
    "due": "Hạn nộp",
    "grace": "Số ngày gia hạn",
    "grace_help": "Sau hạn nộp cộng số ngày này, kỳ tự đóng: đơn vị không nộp được nữa, trừ khi được mở lại.",
    "save_deadline": "Lưu hạn nộp",
    "deadline_saved": "Đã lưu hạn nộp {due} (gia hạn {grace} ngày).",
    "lock_header": "Khóa kỳ",
    "lock_from": "Khóa từ ngày",
    "lock": "Khóa kỳ",
    "unlock": "Mở khóa kỳ",
    "locked_done": "Đã khóa kỳ từ {date}.",
    "unlocked_done": "Đã mở khóa kỳ.",
    "reopen_header": "Mở lại cho một đơn vị",
    "reopen_unit": "Đơn vị",
    "reopen_reason": "Lý do (bắt buộc)",
    "reopen": "Mở lại cho đơn vị",
    "reopened_done": "Đã mở lại kỳ cho {unit}.",
    "reopened_list": "Đơn vị đã được mở lại",
    "review_header": "Duyệt từng báo cáo",
    "no_submissions": "Chưa có báo cáo nào của kỳ này.",
    "choose_submission": "Báo cáo",
    "comment": "Ý kiến khi trả lại (bắt buộc)",
    "approve_submission": "Duyệt báo cáo",
    "return_submission": "Trả lại kèm ý kiến",
    "approved_done": "Đã duyệt báo cáo của {unit}.",
    "returned_done": "Đã trả lại báo cáo của {unit}.",
    "period_approval_header": "Phê duyệt kỳ",
    "approve_period": "Phê duyệt số liệu kỳ",
    "unapprove_period": "Hủy phê duyệt kỳ",
    "period_approved_done": "Đã phê duyệt số liệu kỳ {period}.",
    "period_unapproved_done": "Đã hủy phê duyệt kỳ {period}.",
    "submission_choice": "{unit} · nộp {at} · {review}",
    # the command line
    "deadline_done": "Đã đặt hạn nộp kỳ {period} của kế hoạch {plan}: {due}, gia hạn {grace} ngày.",
    "reopen_done": "Đã mở lại kỳ {period} của kế hoạch {plan} cho đơn vị {unit}.",
    "review_done": "Đã {what} báo cáo {id}.",
    "review_approved": "duyệt",
    "review_returned": "trả lại",
}
REPORTING_COLUMNS = {"unit": GLOSSARY["unit"], "state_label": GLOSSARY["state"],
                     "submitted_at": GLOSSARY["submitted_at"], "submitted_by": GLOSSARY["submitted_by"],
                     "review": "Duyệt", "comment": "Ý kiến của Văn phòng Sở", "reviewed_by": "Người duyệt",
                     "reviewed_at": "Duyệt lúc", "file_name": GLOSSARY["file_name"], "reason": "Lý do",
                     "granted_by": "Người mở", "granted_at": "Mở lúc"}
CLI_HELP.update({
    "by_note": "Ghi chú hiển thị (không phải danh tính: người thực hiện là tài khoản --as).",
    "unit_code": "Mã đơn vị, ví dụ KHTC.",
    "reason": "Lý do mở lại (bắt buộc, ghi vào nhật ký).",
    "due": "Hạn nộp, dd/mm/yyyy.",
    "grace": "Số ngày gia hạn sau hạn nộp (0 đến 90).",
    "comment": "Ý kiến gửi đơn vị khi trả lại (bắt buộc).",
})
PAGE["reporting"] = CYCLE["reporting_title"]
PAGE["cycle"] = CYCLE["page_title"]
SNAPSHOT["coverage"] = CYCLE["reporting_title"]
SNAPSHOT_COLUMNS["review"] = REPORTING_COLUMNS["review"]
EXPORT_XLSX["sheets"]["coverage"] = CYCLE["reporting_title"]
EXPORT_XLSX["completeness"] = "Tỷ lệ đã nhận báo cáo"
EXPORT_PPTX["more_units"] = "… còn {count} đơn vị ở trang sau."
EXPORT_XLSX["timeliness"] = "Tỷ lệ đúng hạn"
AUDIT_ACTIONS.update({"submission_approve": "Duyệt báo cáo", "submission_return": "Trả lại báo cáo",
                      "period_lock": "Khóa kỳ", "period_unlock": "Mở khóa kỳ", "period_allow": "Mở lại cho đơn vị",
                      "period_approve": "Phê duyệt kỳ", "period_unapprove": "Hủy phê duyệt kỳ",
                      "deadline_set": "Đặt hạn nộp"})
PROBLEMS.update({
    "period_closed": Msg(
        "Kỳ {period} đã hết hạn nộp: hạn {due}, gia hạn {grace} ngày, không nhận báo cáo từ {closed}.",
        "Chỉ {who} có thể mở lại kỳ này cho đơn vị của bạn, kèm lý do; liên hệ để được mở lại rồi nộp lại tệp.",
    ),
    "cycle_unit_unknown": Msg(
        "Đơn vị «{value}» không thuộc cơ quan của kế hoạch {plan}.",
        "Dùng mã đơn vị như trong danh sách đơn vị của kế hoạch, ví dụ VPS.",
    ),
    "reopen_reason_missing": Msg(
        "Chưa ghi lý do mở lại kỳ cho đơn vị «{value}».",
        "Ghi lý do (ví dụ «đơn vị xin nộp bổ sung theo văn bản số …»): lý do được lưu trong nhật ký.",
    ),
    "return_comment_missing": Msg(
        "Chưa ghi ý kiến khi trả lại báo cáo «{value}».",
        "Ghi rõ cần sửa gì để đơn vị nộp lại.",
    ),
    "cycle_text_too_long": Msg("Nội dung «{value}…» dài quá {limit} ký tự.", "Rút gọn lại."),
    "grace_days_invalid": Msg("Số ngày gia hạn «{value}» không hợp lệ.", "Nhập số nguyên từ 0 đến {limit}."),
    "deadline_before_period": Msg(
        "Hạn nộp {value} trước ngày đầu kỳ ({start}).",
        "Chọn hạn nộp sau ngày đầu kỳ, thường là sau ngày cuối kỳ.",
    ),
    "submission_not_current": Msg(
        "Báo cáo «{value}» đã được thay bằng bản nộp sau; chỉ duyệt hoặc trả lại bản đang dùng.",
        "Tải lại danh sách báo cáo của kỳ để thấy bản đang dùng.",
    ),
})
# ---- sign-in on the web, the account pages (issue 16)
SIGN_IN = {
    "title": "Đăng nhập",
    "intro": "Đăng nhập bằng tài khoản được Văn phòng Sở hoặc quản trị viên cấp để xem và nộp số liệu.",
    "username": "Tên đăng nhập",
    "password": "Mật khẩu",
    "submit": "Đăng nhập",
    "or_provider": "Hoặc đăng nhập qua hệ thống định danh của tỉnh",
    "provider_button": "Đăng nhập qua hệ thống định danh",
    "not_linked": "Tài khoản định danh {email} chưa gắn với tài khoản nào của trang; nhờ Văn phòng Sở hoặc quản "
                  "trị viên ghi địa chỉ thư điện tử này vào tài khoản của bạn.",
    # ?dang_nhap=<code> after the sign-in route (server.py): a code only, never what was typed
    "sign_in_failed": "Tên đăng nhập hoặc mật khẩu không đúng. Kiểm tra lại (chữ hoa, chữ thường, bộ gõ tiếng "
                      "Việt); sai nhiều lần liên tiếp, tài khoản sẽ bị khóa tạm.",
    "account_locked": "Tài khoản đang bị khóa tạm vì đăng nhập sai nhiều lần. Chờ 15 phút rồi đăng nhập lại, "
                      "hoặc nhờ quản trị viên kiểm tra.",
    "session_ended": "Phiên làm việc đã hết hạn hoặc đã kết thúc. Vui lòng đăng nhập lại.",
    "signed_out": "Bạn đã đăng xuất.",
    "demo_title": "Tài khoản minh họa",
    "demo_intro": "Trang đang có dữ liệu minh họa. Các tài khoản minh họa dùng chung mật khẩu «{password}»:",
    "demo_row": "{username} — {role}{scope}",
    "demo_names": {"admin": "Quản trị (minh họa)", "van_phong": "Văn phòng Sở (minh họa)",
                   "lanh_dao": "Lãnh đạo Sở (minh họa)", "don_vi": "Cán bộ đơn vị {unit} (minh họa)"},
    "demo_cli": "Đã tạo tài khoản minh họa {names}, mật khẩu chung «{password}» (chỉ để xem thử; xóa cùng dữ liệu "
                "minh họa).",
    "signed_in_as": "Đang đăng nhập: {name} · {role}",
    "sign_out": "Đăng xuất",
}
MY_ACCOUNT = {
    "page": "Tài khoản của tôi",
    "title": "Tài khoản của tôi",
    "username": "Tên đăng nhập",
    "name": "Họ tên",
    "role": "Vai trò",
    "organisation": "Cơ quan",
    "units": "Đơn vị",
    "email": "Thư điện tử",
    "change_password": "Đổi mật khẩu",
    "old_password": "Mật khẩu hiện tại",
    "new_password": "Mật khẩu mới",
    "repeat_password": "Nhập lại mật khẩu mới",
    "mismatch": "Hai lần nhập mật khẩu mới không giống nhau.",
    "changed": "Đã đổi mật khẩu. Mọi phiên đăng nhập của tài khoản đã kết thúc; hãy đăng nhập lại bằng mật khẩu "
               "mới.",
    "sign_in_again": "Đăng nhập lại",
    "every_org": "Mọi cơ quan",
    "provider_note": "Bạn đăng nhập qua hệ thống định danh của tỉnh; mật khẩu do hệ thống đó quản lý.",
}
ACCOUNTS_PAGE = {
    "page": "Tài khoản",
    "title": "Tài khoản",
    "caption": "Tài khoản của cơ quan: ai đăng nhập được, với vai trò nào. Mỗi thay đổi được ghi vào nhật ký.",
    "list": "Danh sách tài khoản",
    "none": "Chưa có tài khoản nào.",
    "create": "Tạo tài khoản",
    "username": "Tên đăng nhập",
    "username_help": "Chữ thường không dấu, số, dấu chấm, gạch; 3–40 ký tự (ví dụ: nguyen.van.a).",
    "display_name": "Họ tên",
    "role": "Vai trò",
    "units": "Đơn vị (cho cán bộ đơn vị)",
    "units_placeholder": "Chọn đơn vị",
    "email": "Thư điện tử (không bắt buộc)",
    "password": "Mật khẩu ban đầu",
    "password_help": "Ít nhất 10 ký tự; người dùng nên đổi ngay sau lần đăng nhập đầu tiên.",
    "submit": "Tạo tài khoản",
    "created": "Đã tạo tài khoản {username} ({role}).",
    "disable_title": "Khóa hoặc mở tài khoản",
    "choose": "Tài khoản",
    "disable": "Khóa tài khoản",
    "enable": "Mở lại tài khoản",
    "disabled_done": "Đã khóa tài khoản {username}; mọi phiên đăng nhập của tài khoản đã kết thúc.",
    "enabled_done": "Đã mở lại tài khoản {username}.",
    "not_self": "Bạn không tự khóa tài khoản của mình được.",
    "active": "Đang dùng",
    "disabled": "Đã khóa",
    "columns": {"username": "Tên đăng nhập", "display_name": "Họ tên", "role": "Vai trò", "units": "Đơn vị",
                "email": "Thư điện tử", "state": "Trạng thái", "created_at": "Tạo lúc"},
}
UPLOAD_ROLE = {
    "no_units": "Tài khoản của bạn không nộp báo cáo cho đơn vị nào của kế hoạch này.",
    "no_units_hint": "Chọn kế hoạch có đơn vị của mình ở thanh bên, hoặc nhờ Văn phòng Sở gắn đúng đơn vị cho "
                     "tài khoản.",
}

# ---- Vietnamese only: the file uploader's own words, pages that cannot be opened (issue 18)
# Streamlit 1.67 draws "Upload", "20MB per file • XLSX" and "Drag and drop a file here" itself and cannot
# translate them: pages/_widgets.py `file_uploader` hides them and shows these instead.
UPLOADER = {
    "browse": "Chọn tệp",
    "drop": "Kéo thả tệp vào đây",
    "dragging": "Thả tệp vào đây",
    "limit": "tối đa {size} MB, tệp {types}",
}
NAVIGATION = {
    # An address that names no page this account can open (mistyped, an old link, a page of another role):
    # Streamlit would say "Page not found" in English; app.py opens the overview with this note.
    "page_not_found": "Không mở được trang theo đường dẫn này (trang không có, hoặc không dành cho tài khoản "
                      "của bạn). Đây là trang Tổng quan; chọn trang khác ở thanh bên.",
}

# ---- upload that follows the sidebar's period, its preview of changes, the web entry form (issue 18)
UPLOAD_PAGE["period_help"] = ("Theo kỳ đang xem ở thanh bên; chọn kỳ khác ở đây nếu nộp cho kỳ khác (ví dụ nộp bổ "
                              "sung kỳ trước).")
CHANGES = {
    "cleared": "bỏ trống",
    "none": "Không có gì thay đổi so với số liệu đã lưu; không cần ghi.",
    "count": "Sẽ thay đổi {count} ô:",
    "columns": {"unit": GLOSSARY["unit"], "item": "Chỉ tiêu / nhiệm vụ", "field": "Ô", "before": "Đã lưu",
                "after": "Mới", "change": "Thay đổi", "code": GLOSSARY["code"]},
}
ENTRY_FORM = {
    "tab_file": "Tải tệp Excel",
    "tab_form": "Nhập trên trang",
    "file_name": "Nhập trên trang",  # what a report typed on the page is called where a file's name would be
    "intro": "Dành cho đơn vị chỉ có vài số liệu: điền thẳng vào các ô dưới đây thay cho tệp Excel. Ô để trống là "
             "chưa có số liệu (không phải 0). Số liệu đã nộp kỳ này được điền sẵn để sửa; ghi lại sẽ thay bản cũ.",
    "all_units": "Biểu mẫu tổng hợp toàn Sở chỉ nộp bằng tệp Excel. Chọn một đơn vị để nhập trên trang.",
    "nothing_to_report": "Đơn vị này không có chỉ tiêu hay nhiệm vụ nào phải báo cáo trong kế hoạch.",
    "targets": "Chỉ tiêu",
    "tasks": "Nhiệm vụ",
    "target_caption": "{code} · {area} · Chỉ tiêu kế hoạch: {goal}",
    "task_caption": "{code} · {area} · Thời hạn: {goal}",
    "choose": "Chọn…",
    "check": "Kiểm tra và xem trước",
    "blocked": "Có {errors} lỗi (và {warnings} cảnh báo). Chưa ghi gì vào cơ sở dữ liệu. Sửa các ô được nêu dưới "
               "đây rồi bấm «Kiểm tra và xem trước» lại.",
    "warnings": "Số liệu hợp lệ, có {warnings} cảnh báo (không chặn việc ghi):",
    "ok": "Số liệu hợp lệ, không có lỗi.",
    "columns": {"severity": "Mức", "item": "Chỉ tiêu / nhiệm vụ", "field": "Ô", "value": "Giá trị đã nhập",
                "message": "Vấn đề", "hint": "Cách sửa", "code": GLOSSARY["code"]},
}
UPLOAD_CHANNELS = {"file": "tệp Excel", "web_form": "nhập trên trang"}  # an upload's detail in the audit trail
AUDIT_DETAIL["channel"] = "nộp bằng"
PROBLEMS.update({
    "entry_form_one_unit": Msg("Nhập trên trang chỉ dành cho từng đơn vị, không cho biểu mẫu tổng hợp toàn Sở.",
                               "Chọn một đơn vị, hoặc nộp biểu mẫu tổng hợp bằng tệp Excel."),
})


# ---- the files behind a target's figures (issue 18: from a figure to the file it came from)
TARGET_FILES = {
    "title": "Tệp gốc của các báo cáo",
    "caption": "Tệp Excel (hoặc nội dung nhập trên trang) mà các đơn vị đã nộp cho số liệu của chỉ tiêu này trong kỳ.",
    "download": "Tải «{file}» — {unit}, {period}, nộp lúc {at}",
    "none": "Số liệu của chỉ tiêu này không đến từ tệp nộp lên (số liệu minh họa hoặc nhập bằng dòng lệnh).",
}
UNIT_PAGE.update({"area": "Lĩnh vực", "all_areas": "Tất cả lĩnh vực"})  # the heatmap's cell opens unit × area


# ---- the periodic CCHC report, a Word draft (issue 19)
# The report's own sections and phrases are NOT here: they live in the outline a province may replace
# (kpi/report/outline.yaml, docs/report.md). These are the words around it: the command, the button, problems.
REPORT_OUTLINE = {  # what is wrong with an outline file, one sentence per problem
    "not_mapping": "tệp không phải một bảng khóa: giá trị",
    "version": "«version» phải là 1 (đang là {value})",
    "missing": "thiếu mục «{key}»",
    "not_text": "mục «{key}» phải là chữ (hoặc danh sách chữ)",
    "name": "mục «{key}» dùng chỗ điền {{{name}}} không có (được dùng: {allowed})",
    "columns": "mục «{key}» phải có {count} cột (đang có {value})",
    "page": "mục «{key}» phải là số từ {low} đến {high} (đang là {value})",
}
REPORT_DOC = {
    "written": "Đã ghi báo cáo {path} ({size} KB, {seconds} giây). Mở bằng Word hoặc LibreOffice, viết các đoạn tô "
               "vàng rồi trình ký.",
    "source": "Cần đúng một nguồn: --snapshot SỐ, hoặc --plan và --period (có thể thêm --as-of).",
    "make": "Tạo báo cáo định kỳ (Word)",
    "making": "Đang soạn báo cáo…",
    "download": "Tải báo cáo Word ({size} KB)",
    "help": "Dự thảo báo cáo kết quả thực hiện CCHC theo đề cương (thể thức Nghị định 30/2020): số liệu, giải "
            "trình của đơn vị và nhận xét của Văn phòng lấy từ hệ thống; các đoạn tô vàng do Văn phòng viết "
            "trước khi trình ký.",
}
CLI_HELP.update({
    "report_snapshot": "Số ảnh chụp (snapshot list): báo cáo đúng như số liệu đã chụp.",
    "report_outline": "Tệp đề cương YAML khác (mặc định: đề cương kèm theo, hoặc biến KPI_REPORT_OUTLINE).",
    "report_output": "Tệp .docx sẽ ghi.",
})
PROBLEMS.update({
    "report_outline_invalid": Msg("Tệp đề cương báo cáo {path} chưa dùng được: {problems}.",
                                  "Sửa tệp đề cương theo hướng dẫn trong tài liệu báo cáo định kỳ, hoặc dùng đề cương "
                                  "kèm theo."),
    "report_outline_unreadable": Msg("Không đọc được tệp đề cương báo cáo {path} ({reason}).",
                                     "Kiểm tra đường dẫn và quyền đọc tệp, hoặc dùng đề cương kèm theo."),
})


# ---- every page at 1366 px and on a phone (issue 18: the heatmap's cell and the trend's point as ways in)
ACCOUNTS_PAGE["no_others"] = "Chưa có tài khoản nào khác trong cơ quan để khóa hoặc mở."
