"""The bad-input corpus (tests/data/bad_inputs): broken raw files, tried on purpose.

Each case folder holds a few raw files and an ``expected.json`` (format in the corpus's
README.md). A case either stops the build with one error line naming the file, the column
and the rule, or builds, with its rows staged or quarantined with their reason. Nothing
may crash with only an engine error, and nothing may be lost: for every table the case
touches, raw rows = used + quarantined + exact copies removed, and raw rows agree with an
independent count by Python's csv module (pyarrow for Parquet).

Cases that build and touch different tables share one raw folder and one ``dbt build``,
so that the corpus runs in a few dbt calls.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from personagraph.dbt_runner import DbtError, run_dbt

CORPUS = Path(__file__).resolve().parents[1] / "data" / "bad_inputs"

# raw_reconciliation and everything it reads: the base, staging and quarantine models of
# every raw table (a fresh database needs them all). Unit tests run elsewhere.
BUILD_ARGS = ["build", "--select", "+raw_reconciliation", "--exclude-resource-type", "unit_test"]

# Text that only an engine error or a Python crash would print.
ENGINE_ERROR_MARKERS = (
    "Traceback (most recent call last)",
    "Invalid Input Error",
    "Conversion Error",
    "Binder Error",
    "Parser Error",
    "Catalog Error",
    "IO Error",
    "INTERNAL Error",
    "Runtime Error",
)


@dataclass(frozen=True)
class Case:
    name: str
    folder: Path

    @cached_property
    def expected(self) -> dict:
        return json.loads((self.folder / "expected.json").read_text(encoding="utf-8"))

    @cached_property
    def raw_files(self) -> list[Path]:
        return sorted(path for path in self.folder.iterdir() if path.name != "expected.json")

    @cached_property
    def tables(self) -> set[str]:
        """The raw tables the case's files are meant for (by name, whatever its case)."""
        return {path.name.split(".")[0].lower() for path in self.raw_files}

    @property
    def stops_the_build(self) -> bool:
        return "error" in self.expected


def load_cases() -> list[Case]:
    return [Case(folder.name, folder) for folder in sorted(CORPUS.iterdir()) if folder.is_dir()]


def group_cases(cases: list[Case]) -> list[list[Case]]:
    """Cases that stop the build get a build each; the others share builds, first fit,
    as long as no two cases of a build touch the same table."""
    groups: list[list[Case]] = []
    for case in cases:
        if not case.stops_the_build:
            for group in groups:
                if not group[0].stops_the_build and not any(
                    case.tables & other.tables for other in group
                ):
                    group.append(case)
                    break
            else:
                groups.append([case])
        else:
            groups.append([case])
    return groups


CASES = load_cases()
GROUPS = group_cases(CASES)
GROUP_OF = {case.name: index for index, group in enumerate(GROUPS) for case in group}


@dataclass(frozen=True)
class GroupBuild:
    raw_dir: Path
    db_path: Path
    output: str
    failed: bool

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.db_path), read_only=True) as con:
            return con.execute(sql).fetchall()


def build_group(cases: list[Case], work_dir: Path, shared: Path) -> GroupBuild:
    """One dbt build of the cases' raw files, in ``work_dir``.

    dbt sees every group's folder under one path, ``shared / "current"`` (a symbolic link
    set to ``work_dir`` for the build), and keeps one target folder, ``shared / "target"``:
    the environment and the project are then the same for every build, so that all but
    the first parse the project partially instead of in full. Builds run one at a time.
    """
    raw_dir = work_dir / "raw"
    raw_dir.mkdir(parents=True)
    for case in cases:
        for path in case.raw_files:
            (raw_dir / path.name).write_bytes(path.read_bytes())
    db_path = work_dir / "corpus.duckdb"
    log_path = work_dir / "build.log"
    current = shared / "current"
    link = shared / "current.new"
    link.unlink(missing_ok=True)
    link.symlink_to(work_dir, target_is_directory=True)
    os.replace(link, current)
    args = [
        *BUILD_ARGS,
        "--target-path",
        str(shared / "target"),
        "--log-path",
        str(work_dir / "logs"),
    ]
    try:
        run_dbt(args, current / "raw", current / db_path.name, log_path=log_path, quiet=True)
        failed = False
    except DbtError:
        failed = True
    return GroupBuild(raw_dir, db_path, log_path.read_text(encoding="utf-8"), failed)


@pytest.fixture(scope="module")
def group_build(tmp_path_factory: pytest.TempPathFactory):
    built: dict[int, GroupBuild] = {}
    shared = tmp_path_factory.mktemp("corpus_shared")

    def get(case: Case) -> GroupBuild:
        index = GROUP_OF[case.name]
        if index not in built:
            work_dir = tmp_path_factory.mktemp(f"corpus{index}")
            built[index] = build_group(GROUPS[index], work_dir, shared)
        return built[index]

    return get


def count_records_independently(path: Path) -> int:
    """Records in a raw file by another reader: pyarrow for Parquet, Python's csv module
    (RFC 4180) for CSV, with bytes that are not UTF-8 replaced. Blank lines hold no record,
    and a file holding only blank lines has no header and no record."""
    if path.suffix.lower() == ".parquet":
        return pq.ParquetFile(path).metadata.num_rows if path.stat().st_size else 0
    csv.field_size_limit(sys.maxsize)
    text = path.read_bytes().decode("utf-8", errors="replace")
    rows = [row for row in csv.reader(io.StringIO(text, newline="")) if row]
    if all(not "".join(row).strip() for row in rows):
        return 0
    return len(rows) - 1


def assert_no_engine_crash(output: str) -> None:
    shown = [marker for marker in ENGINE_ERROR_MARKERS if marker in output]
    assert not shown, f"engine or Python errors in the build output: {shown}\n{output[-3000:]}"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input(case: Case, group_build) -> None:
    build = group_build(case)
    expected = case.expected
    assert_no_engine_crash(build.output)
    if case.stops_the_build:
        assert build.failed, f"{case.name}: the build should have stopped"
        lines = [line for line in build.output.splitlines() if "personagraph: raw file" in line]
        assert any(all(part in line for part in expected["error"]) for line in lines), (
            f"{case.name}: no error line names all of {expected['error']}:\n" + "\n".join(lines)
        )
        for value in expected.get("not_in_error", []):
            assert value not in build.output, f"{case.name}: the error shows the value {value!r}"
        return

    assert not build.failed, f"{case.name}: the build failed:\n{build.output[-3000:]}"
    reconciliation = {
        row[0]: row[1:]
        for row in build.query(
            "select source_table, raw_rows, used_rows, quarantined_rows, exact_copies_removed,"
            " is_balanced from quarantine.raw_reconciliation"
        )
    }
    for path in case.raw_files:
        if path.name in expected.get("ignored_files", []):
            continue
        table = path.name.split(".")[0]
        raw, used, quarantined, copies, balanced = reconciliation[table]
        assert balanced and raw == used + quarantined + copies, (table, reconciliation[table])
        assert raw == count_records_independently(path), f"{path.name}: raw rows {raw}"
        assert copies == expected.get("duplicates", {}).get(table, 0), table

    if "staged" in expected:
        table = expected["staged"]["table"]
        assert reconciliation[table][1] == expected["staged"]["rows"], "used rows"
    if "quarantine" in expected:
        table = expected["quarantine"]["table"]
        rules = build.query(f"select quarantine_rule from quarantine.{table}_quarantine")
        assert sorted(rule for (rule,) in rules) == sorted(expected["quarantine"]["rules"])
    for check in expected.get("checks", []):
        rows = [list(row) for row in build.query(check["sql"])]
        assert rows == check["rows"], check["sql"]
    for text in expected.get("log", []):
        assert text in build.output, f"the build log does not say {text!r}"


def test_every_case_is_described_and_the_corpus_covers_the_issue() -> None:
    for case in CASES:
        expected = case.expected
        assert expected.get("description"), case.name
        assert case.raw_files, case.name
        assert ("error" in expected) != ("staged" in expected or "quarantine" in expected), (
            f"{case.name}: expect either an error or staged/quarantined rows"
        )
    required = {
        "empty_file",
        "header_only",
        "missing_record_id_column",
        "extra_columns",
        "columns_in_another_order",
        "semicolon_delimiter",
        "latin1_encoding",
        "one_mb_field",
        "embedded_newlines_and_quotes",
        "sql_lookalike_values",
        "spreadsheet_formulas",
        "extreme_dates",
        "duplicate_primary_keys",
        "parquet_wrong_types",
        "utf8_bom_header",
        "upper_case_file_name",
    }
    assert required <= {case.name for case in CASES}


def test_builds_are_grouped_to_keep_the_corpus_fast() -> None:
    building = [group for group in GROUPS if not group[0].stops_the_build]
    assert len(building) <= 3, [[case.name for case in group] for group in building]
