"""Properties of the normalisation macros (macros/normalization), tested with hypothesis.

Each macro is rendered once by dbt (``dbt compile --inline``, one call for all of them and
one for the month-first date order) into the SQL expression the models use; hypothesis
then evaluates that expression with DuckDB on generated values, many per second.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import string
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from personagraph.dbt_runner import run_dbt

COLUMN = "raw_value"
MACROS = {
    "clean_text": f"personagraph.clean_text('{COLUMN}')",
    "normalize_email": f"personagraph.normalize_email('{COLUMN}')",
    "normalize_phone": f"personagraph.normalize_phone('{COLUMN}')",
    "normalize_name": f"personagraph.normalize_name('{COLUMN}')",
    "parse_date": f"personagraph.parse_date('{COLUMN}')",
    "parse_timestamp": f"personagraph.parse_timestamp('{COLUMN}')",
}
# Every normaliser the typing models call on a column that clean_text cleaned before
# (already_clean=true), beside the same call on raw text.
ALREADY_CLEAN_CALLS = {
    "normalize_email": "normalize_email('{column}'{clean})",
    "normalize_phone": "normalize_phone('{column}'{clean})",
    "normalize_name": "normalize_name('{column}'{clean})",
    "normalize_postcode": "normalize_postcode('{column}'{clean})",
    "normalize_country": "normalize_country('{column}'{clean})",
    "parse_date": "parse_date('{column}'{clean})",
    "parse_timestamp": "parse_timestamp('{column}'{clean})",
    "parse_boolean": "parse_boolean('{column}'{clean})",
    "parse_decimal": "parse_decimal('{column}'{clean})",
    "parse_integer": "parse_integer('{column}'{clean})",
    "accepted_code": "accepted_code('{column}', ['web', 'app', 'store']{clean})",
}
for _name, _call in ALREADY_CLEAN_CALLS.items():
    MACROS.setdefault(_name, "personagraph." + _call.format(column=COLUMN, clean=""))
    MACROS[_name + "__already_clean"] = "personagraph." + _call.format(
        column=COLUMN, clean=", already_clean=true"
    )
MIN_DATE, MAX_DATE = dt.date(1900, 1, 1), dt.date(2099, 12, 31)  # dbt_project.yml's defaults

PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def compile_macros(
    macros: dict[str, str], work_dir: Path, dbt_vars: dict | None = None
) -> dict[str, str]:
    """The SQL expression of every macro call, rendered by one ``dbt compile --inline``.

    The calls are rendered into one query between comment markers and cut out again.
    """
    parts = [f"/* <{name}> */ {{{{ {call} }}}} /* </{name}> */" for name, call in macros.items()]
    args = ["--quiet", "compile", "--inline", "select " + ", ".join(parts), "--output", "json"]
    args += ["--target-path", str(work_dir / "target"), "--log-path", str(work_dir / "logs")]
    if dbt_vars:
        args += ["--vars", json.dumps(dbt_vars)]
    completed = run_dbt(args, work_dir / "raw", work_dir / "compile.duckdb", quiet=True)
    compiled = json.loads(completed.stdout[completed.stdout.index("{") :])["compiled"]
    return {
        name: re.search(rf"/\* <{name}> \*/(.*?)/\* </{name}> \*/", compiled, re.S).group(1)
        for name in macros
    }


class Evaluator:
    """Evaluates compiled macro expressions with DuckDB, on one value at a time."""

    def __init__(self, expressions: dict[str, str]) -> None:
        self.expressions = expressions
        self.con = duckdb.connect()
        self.con.execute("set TimeZone = 'UTC'")  # as the profile does

    def __call__(self, macro: str, value: str | None):
        sql = f"select {self.expressions[macro]} from (select cast($value as varchar) as {COLUMN})"
        return self.con.execute(sql, {"value": value}).fetchone()[0]

    def lower(self, value: str) -> str:
        return self.con.execute("select lower($value)", {"value": value}).fetchone()[0]


@pytest.fixture(scope="module")
def macro(tmp_path_factory: pytest.TempPathFactory) -> Evaluator:
    return Evaluator(compile_macros(MACROS, tmp_path_factory.mktemp("macros")))


@pytest.fixture(scope="module")
def month_first(tmp_path_factory: pytest.TempPathFactory) -> Evaluator:
    expressions = compile_macros(
        {"parse_date": MACROS["parse_date"]},
        tmp_path_factory.mktemp("macros_month_first"),
        {"normalize__date_order": "month_first"},
    )
    return Evaluator(expressions)


# --- strategies ---------------------------------------------------------------------------

SPACES = [" ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u2003", "\u200b", "\ufeff", "\x0b", "\x85"]
padding = st.lists(st.sampled_from(SPACES), max_size=3).map("".join)

LOCAL_CHARACTERS = string.ascii_letters + string.digits + "!#$%&'*+/=?^_`{|}~.-" + "éüø"
DOMAIN_CHARACTERS = string.ascii_lowercase + string.digits + "-"
email_addresses = st.builds(
    lambda local, labels: local + "@" + ".".join(labels),
    st.text(LOCAL_CHARACTERS, min_size=1, max_size=20),
    st.lists(st.text(DOMAIN_CHARACTERS, min_size=1, max_size=10), min_size=2, max_size=4),
)
letter_case = st.sampled_from([str, str.upper, str.lower, str.title])

phone_like_text = st.text(string.digits + " +-().x#ext/" + "=@a", max_size=24)
gb_mobile_numbers = st.text(string.digits, min_size=9, max_size=9).map(lambda rest: "7" + rest)


def gb_layouts(nsn: str) -> list[str]:
    """Ways people write one GB national significant number."""
    return [
        "0" + nsn,
        f"0{nsn[:4]} {nsn[4:]}",
        f"0{nsn[:4]}-{nsn[4:7]}-{nsn[7:]}",
        f"(0{nsn[:4]}) {nsn[4:]}",
        f"+44 (0){nsn[:4]} {nsn[4:]}",
        f"+44 {nsn}",
        f"0044 {nsn[:4]} {nsn[4:]}",
        "44" + nsn,
        nsn,
        f"0{nsn} ext. 12",
    ]


dates_in_bounds = st.dates(MIN_DATE, MAX_DATE)
dates_out_of_bounds = st.one_of(
    st.dates(dt.date(1, 1, 1), MIN_DATE - dt.timedelta(days=1)),
    st.dates(MAX_DATE + dt.timedelta(days=1), dt.date(9999, 12, 31)),
)


def iso(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def iso_basic(day: dt.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def day_first(day: dt.date, separator: str = "/") -> str:
    return f"{day.day:02d}{separator}{day.month:02d}{separator}{day.year:04d}"


# Whitespace as clean_text sees it: Python's, plus zero-width space and byte order mark.
EXTRA_SPACES = {"\u200b", "\ufeff"}


def is_space(character: str) -> bool:
    return character.isspace() or character in EXTRA_SPACES


def is_control(character: str) -> bool:
    return ord(character) < 0x20 or 0x7F <= ord(character) <= 0x9F


def clean_text_reference(value: str) -> str | None:
    """clean_text in Python: controls dropped, whitespace runs to one space, trimmed."""
    kept = "".join(
        character
        for character in value
        if not is_control(character) or character in "\t\n\x0b\x0c\r\x85"
    )
    words = "".join(" " if is_space(character) else character for character in kept).split(" ")
    return " ".join(word for word in words if word) or None


# --- clean_text ---------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(
    value=st.one_of(
        st.text(),
        st.builds(lambda a, b, c: a + b + c, padding, st.text(), padding),
        # ASCII only: the values that clean_text's shortcut for plain text looks at
        # (controls, DEL, quotes, backslashes and runs of spaces among them).
        st.text(alphabet=st.characters(max_codepoint=0x7F)),
        st.text(alphabet=st.sampled_from(list('ab "\\\x7f\t'))),
    )
)
def test_clean_text_leaves_no_stray_whitespace_or_controls(macro: Evaluator, value: str) -> None:
    cleaned = macro("clean_text", value)
    assert cleaned == clean_text_reference(value)
    if cleaned is not None:
        assert cleaned == cleaned.strip() and cleaned[0] != " " and cleaned[-1] != " "
        assert "  " not in cleaned
        assert all(character == " " or not is_space(character) for character in cleaned)
        assert not any(is_control(character) for character in cleaned)
        assert macro("clean_text", cleaned) == cleaned


def test_clean_text_pads_every_code_point_as_the_reference_does(macro: Evaluator) -> None:
    """Every Unicode code point, alone and around a word: clean_text skips trim and the
    replacing expressions for values that look clean, so no character may slip through
    those shortcuts."""
    character = "chr(cast(code_point as integer))"
    rows = macro.con.execute(
        f"select code_point, {COLUMN}, {macro.expressions['clean_text']} from ("
        f" select code_point, case shape when 0 then {character}"
        f" when 1 then {character} || 'a b' || {character}"
        f" else 'a' || {character} || {character} || 'b' end as {COLUMN}"
        " from range(1, 1114112) as code_points(code_point), range(3) as shapes(shape)"
        " where code_point not between 55296 and 57343)"  # no surrogates in UTF-8
    ).fetchall()
    wrong = [
        (hex(code_point), value, cleaned)
        for code_point, value, cleaned in rows
        if cleaned != clean_text_reference(value)
    ]
    assert len(rows) == 3 * (1114111 - 2048)
    assert wrong == []


# --- normalize_email ----------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(value=st.one_of(st.text(max_size=40), email_addresses, st.text('@. aA=("+', max_size=12)))
def test_normalize_email_is_idempotent_lower_case_and_shaped_like_an_address(
    macro: Evaluator, value: str
) -> None:
    email = macro("normalize_email", value)
    if email is not None:
        assert email == macro.lower(email)
        assert email.count("@") == 1 and "." in email.split("@")[1]
        assert not any(is_space(character) or is_control(character) for character in email)
        assert macro("normalize_email", email) == email


@PROPERTY_SETTINGS
@given(address=email_addresses, case=letter_case, before=padding, after=padding)
def test_normalize_email_reads_an_address_in_any_case_with_stray_whitespace(
    macro: Evaluator, address: str, case, before: str, after: str
) -> None:
    assert macro("normalize_email", before + case(address) + after) == macro.lower(address)


# --- normalize_phone ----------------------------------------------------------------------

E164 = re.compile(r"\+[1-9][0-9]{7,14}")


@PROPERTY_SETTINGS
@given(value=st.one_of(phone_like_text, st.text(max_size=20)))
def test_normalize_phone_gives_e164_or_null_and_is_idempotent(macro: Evaluator, value: str) -> None:
    phone = macro("normalize_phone", value)
    if phone is not None:
        assert E164.fullmatch(phone), phone
        assert macro("normalize_phone", phone) == phone


@PROPERTY_SETTINGS
@given(nsn=gb_mobile_numbers, layout=st.integers(0, 9), before=padding, after=padding)
def test_normalize_phone_reads_a_gb_number_in_any_layout(
    macro: Evaluator, nsn: str, layout: int, before: str, after: str
) -> None:
    written = gb_layouts(nsn)[layout]
    assert macro("normalize_phone", before + written + after) == "+44" + nsn


# --- normalize_name -----------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(value=st.text(max_size=30))
def test_normalize_name_gives_lower_case_ascii_tokens_and_is_idempotent(
    macro: Evaluator, value: str
) -> None:
    name = macro("normalize_name", value)
    if name is not None:
        assert re.fullmatch(r"[a-z]+( [a-z]+)*", name), name
        assert macro("normalize_name", name) == name


# --- parse_date and parse_timestamp -------------------------------------------------------


@PROPERTY_SETTINGS
@given(
    day=dates_in_bounds,
    layout=st.sampled_from(
        ["iso", "iso_time", "iso_z", "iso_basic", "slash", "dash", "dot", "slash_time"]
    ),
    before=st.sampled_from(["", " ", "\t"]),
    after=st.sampled_from(["", " ", "\u00a0"]),
)
def test_parse_date_gives_back_a_date_written_iso_or_day_first(
    macro: Evaluator, day: dt.date, layout: str, before: str, after: str
) -> None:
    written = {
        "iso": iso(day),
        "iso_time": iso(day) + " 23:59:59",
        "iso_z": iso(day) + "T00:00:00Z",
        "iso_basic": iso_basic(day),
        "slash": day_first(day),
        "dash": day_first(day, "-"),
        "dot": day_first(day, "."),
        "slash_time": day_first(day) + " 12:30",
    }[layout]
    assert macro("parse_date", before + written + after) == day


@PROPERTY_SETTINGS
@given(day=dates_in_bounds)
def test_parse_date_reads_month_first_when_the_var_says_so(
    month_first: Evaluator, day: dt.date
) -> None:
    assert month_first("parse_date", f"{day.month:02d}/{day.day:02d}/{day.year:04d}") == day
    assert month_first("parse_date", iso(day)) == day
    assert month_first("parse_date", iso_basic(day)) == day


@PROPERTY_SETTINGS
@given(day=dates_in_bounds)
def test_eight_digits_written_day_first_are_not_misread(macro: Evaluator, day: dt.date) -> None:
    # ddmmyyyy read as yyyymmdd would put the century (19, 20) in the month: never a date.
    assert macro("parse_date", day_first(day, "")) is None


@PROPERTY_SETTINGS
@given(day=dates_out_of_bounds, layout=st.sampled_from([iso, iso_basic, day_first]))
def test_parse_date_is_null_for_implausible_years(macro: Evaluator, day: dt.date, layout) -> None:
    assert macro("parse_date", layout(day)) is None


@PROPERTY_SETTINGS
@given(
    value=st.one_of(
        st.text(max_size=30),
        st.text(string.digits + "-/:.TZ+ ", max_size=30),
        st.builds(lambda day, rest: iso(day) + rest, st.dates(), st.text("0123456789:T+-Z. ")),
    )
)
def test_parse_timestamp_never_fails_and_stays_within_bounds(macro: Evaluator, value: str) -> None:
    parsed = macro("parse_timestamp", value)
    if parsed is not None:
        assert dt.datetime.combine(MIN_DATE, dt.time()) <= parsed
        assert parsed < dt.datetime.combine(MAX_DATE + dt.timedelta(days=1), dt.time())


@PROPERTY_SETTINGS
@given(
    value=st.one_of(
        st.text(max_size=30),
        st.builds(
            lambda before, written, after: before + written + after,
            padding,
            st.one_of(
                email_addresses,
                phone_like_text,
                gb_mobile_numbers.map(lambda nsn: gb_layouts(nsn)[3]),
                st.dates().map(day_first),
                st.dates().map(iso),
                st.sampled_from(
                    ["Yes", "off", "1,234.50", "-3", "12.5", "gb", "United Kingdom", "Web"]
                ),
                st.text(string.ascii_letters + " -'.", max_size=20),
            ),
            padding,
        ),
    )
)
def test_normalisers_of_a_cleaned_column_give_what_they_give_on_raw_text(
    macro: Evaluator, value: str
) -> None:
    """The typing models clean every raw column once and call the normalisers with
    already_clean=true on the cleaned column: the same value as on the raw text."""
    cleaned = macro("clean_text", value)
    for name in ALREADY_CLEAN_CALLS:
        assert macro(name + "__already_clean", cleaned) == macro(name, value), name
