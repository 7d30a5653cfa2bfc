"""The words the parsers read: what a person may type in a cell or a plan says, mapped to the product's keys.

Not display text (that is kpi/text.py): these are the accepted spellings, folded and compared by the
readers. Kept in one module so that a new spelling is added in one place, and named explicitly by the test
that keeps Vietnamese literals out of the rest of the code (tests/test_words.py).
"""
from __future__ import annotations

# Comparators (kpi/rules/comparators.py): other spellings accepted in a plan workbook's comparator cell.
COMPARATOR_WORDS = {
    ">=": ("≥", "=>", "tối thiểu", "ít nhất", "không dưới"),
    ">": ("trên", "hơn"),
    "<=": ("≤", "=<", "tối đa", "không quá", "không vượt quá"),
    "<": ("dưới",),
    "=": ("==", "bằng", "đúng"),
    "increase": ("tăng", "tang"),
    "decrease": ("giảm", "giam"),
    "done": ("hoàn thành", "hoan thanh", "có/không", "yes_no"),
}

# A yes/no cell of the report template (kpi/excel/upload.py), compared after kpi.text.fold.
YES = {"có", "co", "x", "yes", "true", "đã hoàn thành", "hoàn thành", "1"}
NO = {"không", "khong", "no", "false", "chưa", "0"}
# A task status typed loosely that most likely means "Hoàn thành" (compared after kpi.text.search_key).
DONE_SYNONYMS = ("xong", "da xong")
# Units of measure whose figures may be negative (a score, a percentage change).
SIGNED_UNITS = ("%", "điểm")

# Deadline wording (kpi/plans/deadlines.py; the grammar is in docs/deadlines.md). Regular expressions over the
# lower-cased, NFC, single-spaced wording.
DEADLINE_YEAR = r"(?:/\s*|\s+năm\s+|\s*-\s*)?(?P<year>(?:19|20)\d{2})"
DEADLINE_QUARTER_WORD = r"qu[ýy]"
DEADLINE_ROMAN = r"(?:iv|iii|ii|i|[1-4])"
DEADLINE_ONGOING = r"^(thường\s*xuyên|định\s+kỳ|liên\s+tục)"           # due at the year's end
DEADLINE_PER_PERIOD = r"^(hằng|hàng)\s+(quý|tháng)"                     # due at the end of every period
DEADLINE_WHOLE_YEAR = r"^(cả\s+năm|hằng\s+năm|hàng\s+năm)"               # the plan year, due 31/12
DEADLINE_EXTERNAL = r"^(theo|căn\s+cứ)\b"
DEADLINE_EVENT = r"^(chậm\s+nhất\s+sau|sau\s+(khi|\d+)|khi\s|ngay\s+sau|kể\s+từ|trong\s+vòng)"
DEADLINE_YEAR_ONLY = r"^(trong\s+)?năm(\s+((?:19|20)\d{2}))?$"
DEADLINE_WITHIN_YEAR = r"^(ngay\s+trong\s+năm|trong\s+năm|cuối\s+năm)(\s+((?:19|20)\d{2}))?$"
DEADLINE_HALF = r"^(trong\s+)?6\s+tháng\s+(đầu|cuối)\s+năm(\s+((?:19|20)\d{2}))?$"
DEADLINE_FIRST_HALF = "đầu"
DEADLINE_QUARTERS = (rf"^(trong\s+)?{DEADLINE_QUARTER_WORD}\s+(?P<first>{DEADLINE_ROMAN})(?P<rest>(?:\s*(?:,|và|-|–|/)\s*"
                     rf"(?:{DEADLINE_QUARTER_WORD}\s+)?{DEADLINE_ROMAN})*)(?:{DEADLINE_YEAR})?$")
DEADLINE_MONTHS = (r"^(trong\s+)?tháng\s+(?P<first>\d{1,2})(?P<rest>(?:\s*(?:,|và|-|–)\s*\d{1,2})*)(?:"
                   + DEADLINE_YEAR + r")?$")
DEADLINE_BEFORE = (r"^(trước|chậm\s+nhất|hạn|đến|trước\s+và\s+trong|không\s+quá|ngày)?\s*(ngày\s+)?"
                   r"(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*((?:19|20)?\d{2}))?$")

# How a target's figures combine over periods (kpi/rules/aggregation.py `infer`), from its wording and unit of
# measure (compared after kpi.text.fold). A level or a stock is taken at the latest period, never summed.
LEVEL_UNITS = ("thứ hạng", "hạng", "điểm", "chỉ số")
MEAN_WORDS = ("bình quân", "trung bình")
LEVEL_WORDS = ("thứ hạng", "xếp hạng", "chỉ số", "điểm số", "mức độ hài lòng")
STOCK_WORDS = ("số đơn vị", "số lượng", "biên chế", "bộ máy", "số cán bộ", "số máy", "tự bảo đảm", "tự đảm bảo",
               "tinh giản")
FLOW_WORDS = ("hồ sơ", "văn bản", "lượt", "chi ", "kinh phí", "phát sinh", "tiếp nhận", "giải quyết")
# Wording where a smaller number is better although the target says "nâng cao"/"tăng" (a rank: 3 beats 5),
# or a measure that is bad by nature (kpi/rules/direction.py `infer`).
LOWER_BETTER_WORDS = ("thứ hạng", "xếp hạng", "thời gian giải quyết", "quá hạn", "trễ hạn", "tồn đọng",
                      "khiếu nại")
