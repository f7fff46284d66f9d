"""Safe builds: identical rebuilds, builds that fail or are killed half way, BI readers.

``personagraph build`` (``build_with_swap``) builds into ``<db>.building`` and
``os.replace``s it onto the database, so that a reader is never blocked and never sees a
half-built database. Identical means an equal ordered content hash per table (DESIGN.md),
for every table in the marts, identity and staging schemas except the append-only history.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from personagraph.dbt_runner import DbtError, _build_lock, build_with_swap, dbt_env, run_dbt
from personagraph.generator import GeneratorConfig, generate
from personagraph.paths import PROJECT_ROOT

HASHED_SCHEMAS = ("marts", "identity", "staging")
# Append-only logs across builds: exempt from "the same input gives the same tables".
HISTORY_TABLES = {
    "marts.person_id_changes",
    "marts.person_id_merges_and_splits",
    "marts.segment_membership_changes",
}


def table_hashes(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, str]]:
    """Row count and md5 of the sorted rows (as JSON) of every table and view compared."""
    tables = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables"
        f" where table_schema in {HASHED_SCHEMAS} order by 1"
    ).fetchall()
    hashes = {}
    for (name,) in tables:
        if name in HISTORY_TABLES:
            continue
        schema, table = name.split(".")
        hashes[name] = con.execute(
            "select count(*), md5(coalesce(string_agg(row_text, chr(10) order by row_text), ''))"
            f' from (select cast(to_json(t) as varchar) as row_text from "{schema}"."{table}" as t)'
        ).fetchone()
    return hashes


def hashes_of(db_path: Path) -> dict[str, tuple[int, str]]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return table_hashes(con)


def persons_in(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute(
        "select count(distinct person_id) from marts.person_source_records"
    ).fetchone()[0]


def persons_seen_by_a_new_process(db_path: Path) -> int:
    """What a BI tool that connects now sees (another process: no shared DuckDB instance)."""
    code = (
        "import duckdb, sys\n"
        "with duckdb.connect(sys.argv[1], read_only=True) as con:\n"
        "    print(con.execute('select count(distinct person_id)"
        " from marts.person_source_records').fetchone()[0])\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code, str(db_path)], capture_output=True, text=True, check=True
    )
    return int(completed.stdout)


def dbt_side_paths(work_dir: Path) -> list[str]:
    """dbt's target and log folders for one build (nothing shared with other runs).

    The builds here run every model and data test but no unit test: those have fixed
    fixtures and give the same result on any raw data; they run in the demo build and in
    test_identity_scenarios.
    """
    return [
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
        "--exclude-resource-type",
        "unit_test",
    ]


def start_personagraph_build(raw_dir: Path, db_path: Path, work_dir: Path) -> subprocess.Popen:
    """``personagraph build`` as a user runs it, in a process group of its own."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "personagraph.cli",
            "build",
            "--quiet",
            "--",
            *dbt_side_paths(work_dir),
        ],
        cwd=PROJECT_ROOT,
        env=dbt_env(raw_dir, db_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def wait_for_models_built(log_file: Path, count: int, process: subprocess.Popen) -> None:
    """Until dbt's log shows ``count`` models built (the build is half way)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, "the build ended before it could be interrupted"
        if log_file.exists():
            built = log_file.read_text(encoding="utf-8", errors="replace").count("OK created sql")
            if built >= count:
                return
        time.sleep(0.2)
    raise AssertionError(f"dbt did not build {count} models in time")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two small generated inputs (A and B, different people) and a database built from A."""
    root = tmp_path_factory.mktemp("safe_builds")
    generate(GeneratorConfig(people=150, seed=7), out_dir=root / "a")
    generate(GeneratorConfig(people=90, seed=8), out_dir=root / "b")
    db_path = root / "personagraph.duckdb"
    build_with_swap(root / "a" / "raw", db_path, dbt_side_paths(root / "first"), quiet=True)
    return {"a": root / "a" / "raw", "b": root / "b" / "raw", "db": db_path, "root": root}


@pytest.fixture
def previous(inputs: dict[str, Path], tmp_path: Path) -> Path:
    """A copy of the database built from input A, as the database a new build replaces.

    Same file name: DuckDB names a database after its file, and dbt's views refer to it
    by that name.
    """
    db_path = tmp_path / inputs["db"].name
    shutil.copy2(inputs["db"], db_path)
    return db_path


def test_building_twice_on_the_same_input_gives_identical_tables(
    inputs: dict[str, Path], previous: Path, tmp_path: Path
) -> None:
    before = hashes_of(previous)
    assert {"marts.person_source_records", "identity.int_identity_clusters"} <= set(before)
    assert before["marts.person_source_records"][0] > 0
    # The second build starts from the first one's database (history carried over) and
    # runs on one thread instead of two: neither may change any table.
    build_with_swap(
        inputs["a"], previous, [*dbt_side_paths(tmp_path), "--threads", "1"], quiet=True
    )
    after = hashes_of(previous)
    changed = sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )
    assert not changed, f"tables that differ after an identical rebuild: {changed}"


def test_a_killed_build_leaves_the_previous_database_unchanged_and_readable(
    inputs: dict[str, Path], previous: Path, tmp_path: Path
) -> None:
    before = hashes_of(previous)
    build = start_personagraph_build(inputs["b"], previous, tmp_path)
    try:
        wait_for_models_built(tmp_path / "logs" / "dbt.log", 8, build)
        assert previous.with_name(previous.name + ".building").exists()
    finally:
        os.killpg(build.pid, signal.SIGKILL)  # the CLI and its dbt, as a crash or OOM would
        build.wait(timeout=30)
    assert build.returncode == -signal.SIGKILL
    # The half-written file was never swapped in: readers see the previous build, whole.
    assert previous.with_name(previous.name + ".building").exists()
    assert hashes_of(previous) == before
    # The next build discards the leftover and swaps in a complete database.
    build_with_swap(
        inputs["b"],
        previous,
        [*dbt_side_paths(tmp_path / "next"), "--select", "+person_source_records"],
        quiet=True,
    )
    assert not previous.with_name(previous.name + ".building").exists()
    after = hashes_of(previous)
    assert after["marts.person_source_records"] != before["marts.person_source_records"]


def test_a_build_that_fails_half_way_leaves_the_previous_database_unchanged(
    inputs: dict[str, Path], previous: Path, tmp_path: Path
) -> None:
    before = hashes_of(previous)
    # One stitching round is too few: models are rebuilt from input B, then the
    # convergence tests fail the build.
    args = [
        *dbt_side_paths(tmp_path),
        "--select",
        "+int_identity_account_components",
        "--vars",
        "{identity__max_iterations: 1}",
    ]
    with pytest.raises(DbtError) as failure:
        build_with_swap(inputs["b"], previous, args, quiet=True)
    assert "OK created sql" in (tmp_path / "logs" / "dbt.log").read_text(encoding="utf-8")
    assert "components_converged" in str(failure.value)
    assert not previous.with_name(previous.name + ".building").exists()
    assert hashes_of(previous) == before


def test_a_reader_keeps_its_snapshot_while_a_build_swaps_in_new_data(
    inputs: dict[str, Path], previous: Path, tmp_path: Path
) -> None:
    reader = duckdb.connect(str(previous), read_only=True)  # a BI tool's open connection
    try:
        old_persons = persons_in(reader)
        old_hashes = table_hashes(reader)
        # Why the swap: a plain `dbt build` into the file cannot even start while the
        # reader holds it (DuckDB allows one writer or many readers of a file).
        with pytest.raises(DbtError, match="(?i)lock"):
            run_dbt(
                ["build", "--select", "+stg_shop__products", *dbt_side_paths(tmp_path / "direct")],
                inputs["b"],
                previous,
                quiet=True,
            )

        build = start_personagraph_build(inputs["b"], previous, tmp_path)
        reads_while_building = 0
        while build.poll() is None:
            assert persons_in(reader) == old_persons
            reads_while_building += previous.with_name(previous.name + ".building").exists()
            time.sleep(0.5)
        output = build.stdout.read()
        assert build.returncode == 0, output[-3000:]
        assert reads_while_building > 0

        # The open connection still reads the snapshot it opened, whole and unchanged...
        assert persons_in(reader) == old_persons
        assert table_hashes(reader) == old_hashes
        # ...while a new connection (another process) sees the new build.
        new_persons = persons_seen_by_a_new_process(previous)
        assert new_persons != old_persons
    finally:
        reader.close()
    # Within one process DuckDB shares one instance per file: once the old connections are
    # closed, a new connection opens the new file.
    with duckdb.connect(str(previous), read_only=True) as con:
        assert persons_in(con) == new_persons


def test_two_swapping_builds_of_one_database_do_not_overlap(tmp_path: Path) -> None:
    db_path = tmp_path / "personagraph.duckdb"
    with _build_lock(db_path), pytest.raises(DbtError, match="another build"):
        build_with_swap(tmp_path / "raw", db_path, quiet=True)
    assert not db_path.exists()
