"""Incremental builds equal a full rebuild.

Raw files grow by appended rows (a daily export appended to the same file). The input is
split into batches: every raw file is cut at record boundaries, batch k holding the first
part of every file, the last batch the whole files. Building after each batch into the
same database must end with exactly the tables one build of the whole input gives: every
table of every schema except ``raw`` (the loaded files themselves) and the history of
person ids, which DESIGN.md exempts (it records what happened between builds).

Hypothesis draws the cut points (each file cut on its own, so that one table's rows may
all arrive late); a fixed example makes every transaction and every privacy request
arrive last, so that people known from the first batch are merged by the second and an
erasure request comes after the records it is about.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from personagraph.batches import RawFile, read_raw_dir, write_batch
from personagraph.dbt_runner import run_dbt

PEOPLE = 60
SEED = 20261202
HISTORY_TABLES = {("marts", "person_id_changes"), ("marts", "person_id_merges_and_splits")}


@dataclass(frozen=True)
class FullBuild:
    raw: list[RawFile]
    db_path: Path
    work: Path


def build(raw_dir: Path, db_path: Path, log_path: Path, select: list[str] | None = None) -> str:
    # Seeds and models; the data tests have their own suites.
    args = ["build", "--resource-type", "seed", "--resource-type", "model"]
    args += ["--select", *select] if select else []
    # dbt's files beside the database, not in the project's target folder.
    args += ["--target-path", str(db_path.parent / "target"), "--log-path", str(db_path.parent)]
    return run_dbt(args, raw_dir, db_path, log_path=log_path, quiet=True).stdout


def tables(con: duckdb.DuckDBPyConnection, catalog: str) -> set[tuple[str, str]]:
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables"
        " where table_catalog = ? and table_schema not in ('raw', 'main')",
        [catalog],
    ).fetchall()
    return {(schema, name) for schema, name in rows} - HISTORY_TABLES


def differences(incremental: Path, full: Path, only: set[str] | None = None) -> list[str]:
    """Every table that is not the same bag of rows in both databases (attached under their
    file names, which the views inside them refer to)."""
    found = []
    with duckdb.connect() as con:
        con.execute(f"attach '{incremental}' as \"{incremental.stem}\" (read_only)")
        con.execute(f"attach '{full}' as \"{full.stem}\" (read_only)")
        left, right = tables(con, incremental.stem), tables(con, full.stem)
        if only is not None:
            right = {table for table in right if table[1] in only}
        if left != right:
            found.append(
                f"only incremental: {sorted(left - right)}, only full: {sorted(right - left)}"
            )
        for schema, name in sorted(left & right):
            a, b = f'"{incremental.stem}"."{schema}"."{name}"', f'"{full.stem}"."{schema}"."{name}"'
            extra, missing = (
                con.execute(
                    f"select count(*) from (select * from {x} except all select * from {y})"
                ).fetchone()[0]
                for x, y in ((a, b), (b, a))
            )
            if extra or missing:
                found.append(f"{schema}.{name}: {extra} rows only incremental, {missing} only full")
    return found


@pytest.fixture(scope="module")
def full_build(tmp_path_factory: pytest.TempPathFactory) -> FullBuild:
    from personagraph.generator import GeneratorConfig, generate

    root = tmp_path_factory.mktemp("incremental")
    generate(GeneratorConfig(people=PEOPLE, seed=SEED), out_dir=root / "generated")
    raw = read_raw_dir(root / "generated" / "raw")
    db_path = root / "full.duckdb"
    build(root / "generated" / "raw", db_path, root / "full.log")
    return FullBuild(raw, db_path, root)


def run_batches(
    full: FullBuild, batches: list[dict[str, int]], name: str
) -> tuple[Path, list[str]]:
    work = full.work / name
    shutil.rmtree(work, ignore_errors=True)
    db_path = work / "incremental.duckdb"
    logs = []
    everything = {f.name: len(f.records) for f in full.raw}
    for number, counts in enumerate([*batches, everything], start=1):
        write_batch(full.raw, counts, work / "raw")
        logs.append(build(work / "raw", db_path, work / f"batch_{number}.log"))
    return db_path, logs


def test_late_transactions_and_erasure_requests_equal_a_full_build(full_build: FullBuild) -> None:
    late = {"shop_orders", "order_lines", "support_tickets", "privacy_requests"}
    assert all(len(f.records) > 1 for f in full_build.raw if f.name in late)
    # Day 1 without them, day 2 with half of them, day 3 with all.
    batches = [
        {f.name: 0 if f.name in late else len(f.records) for f in full_build.raw},
        {f.name: len(f.records) // 2 if f.name in late else len(f.records) for f in full_build.raw},
    ]
    db_path, logs = run_batches(full_build, batches, "late_transactions")

    assert differences(db_path, full_build.db_path) == []
    # The later builds typed only the rows that arrived, and merged people of the first.
    assert "shop_orders: 0 rows typed before; typing the rows after row 0" in logs[1]
    assert re.search(r"shop_orders: [1-9][0-9]* rows typed before; typing the rows after", logs[2])
    with duckdb.connect(str(db_path), read_only=True) as con:
        merged = con.execute(
            "select count(*) from marts.person_id_merges_and_splits where change_kind = 'merge'"
        ).fetchone()[0]
    assert merged > 0, "the late transactions should have joined people known from the first batch"


@settings(
    max_examples=2,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_split_into_appended_batches_equals_a_full_build(
    full_build: FullBuild, data: st.DataObject
) -> None:
    # One earlier batch per example keeps the builds within CI's budget; the test above
    # builds three batches in a row.
    batch_count = 1
    batches = [{} for _ in range(batch_count)]
    for raw_file in full_build.raw:
        cuts = sorted(
            data.draw(
                st.lists(
                    st.integers(0, len(raw_file.records)),
                    min_size=batch_count,
                    max_size=batch_count,
                ),
                label=raw_file.name,
            )
        )
        for batch, cut in zip(batches, cuts, strict=True):
            batch[raw_file.name] = cut
    db_path, _ = run_batches(full_build, batches, "split")
    assert differences(db_path, full_build.db_path) == []


def test_an_edited_file_is_typed_again_not_appended_to(full_build: FullBuild) -> None:
    """A file whose earlier rows changed (replaced, not appended to) is typed from scratch:
    the build says so and still equals the full build of the final files."""
    work = full_build.work / "edited"
    shutil.rmtree(work, ignore_errors=True)
    db_path = work / "incremental.duckdb"
    everything = {f.name: len(f.records) for f in full_build.raw}
    customers = next(f for f in full_build.raw if f.name == "shop_customers")
    edited = [
        RawFile(f.name, f.header, list(reversed(f.records))) if f.name == "shop_customers" else f
        for f in full_build.raw
    ]
    # Only the model under test: the rest of the chain is the same as in the tests above.
    select = ["base_shop__customers_typed"]
    write_batch(edited, everything, work / "raw")
    build(work / "raw", db_path, work / "first.log", select)
    write_batch(full_build.raw, everything, work / "raw")
    log = build(work / "raw", db_path, work / "second.log", select)

    assert len(customers.records) > 1
    assert "shop_customers: raw row 1 is not the row the previous build typed" in log
    assert differences(db_path, full_build.db_path, only=set(select)) == []
