"""Spark parity: the demo built on local Spark (dbt-spark, session method) equals the
DuckDB build, table by table.

One generated demo of about 100 people is built twice, on DuckDB and on Spark, each in
its own folder. The Spark tables are Parquet folders in the Spark warehouse, read back
here with DuckDB's Parquet reader (no second Spark session). Compared:

- the partition of records into persons and the person ids
  (marts.person_source_records), the keys of marts.person_identifiers and of every
  other mart, every quarantine table's (table, row, line, rule) and
  quarantine.raw_reconciliation's counts;
- beyond the keys, the whole content of every table both builds write in the staging,
  identity, quarantine and marts schemas, but for columns that differ by design
  (EXEMPT_COLUMNS).

Rows are compared as multisets; a difference is printed row by row, with personal values
shown as md5 digests. Skips only when Java is missing (pyspark needs it).
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from conftest import background_result, in_background

from personagraph.dbt_runner import run_dbt
from personagraph.privacy import mask_value

PEOPLE = 100
SEED = 7
SCHEMAS = ("staging", "identity", "quarantine", "marts")

# The keys the issue names: who was merged with whom, under which id.
KEY_COLUMNS = {
    ("marts", "person_source_records"): ("person_id", "source_table", "source_record_id"),
    ("marts", "person_identifiers"): ("person_id", "identifier_type", "identifier_value"),
    ("marts", "identity_explanations"): (
        "person_id",
        "identifier_type",
        "identifier_value",
        "parent_identifier_type",
        "parent_identifier_value",
        "edge_rule",
    ),
    ("marts", "person_id_changes"): (
        "build_sequence",
        "identifier_type",
        "identifier_hash",
        "previous_person_id",
        "person_id",
        "change_kind",
    ),
    ("marts", "person_id_merges_and_splits"): (
        "build_sequence",
        "previous_person_id",
        "person_id",
        "change_kind",
        "identifiers_moved",
    ),
    ("quarantine", "raw_reconciliation"): (
        "source_table",
        "raw_rows",
        "used_rows",
        "quarantined_rows",
        "exact_copies_removed",
        "is_balanced",
    ),
}
QUARANTINE_KEY = ("source_table", "source_row_number", "file_line_number", "quarantine_rule")

# Columns that differ by design: when a build ran, and the round in which a node's label
# settled (DuckDB's recursive CTE counts propagation rounds per node; Spark's
# statement-driven rounds with pointer jumping report the number of rounds run), and
# the md5 of the typing SQL each engine compiled (the typed staging models compare it
# with the previous build's to know whether earlier rows need typing again), and the
# fingerprint of a raw row (DuckDB hashes the columns, Spark takes an md5; only equality
# within one engine's build matters).
EXEMPT_COLUMNS = {
    "build_id",
    "built_at",
    "iteration",
    "settled_at_iteration",
    "typing_version",
    "raw_row_hash",
}

# Values of these columns are no personal data and are printed as they are in a diff;
# any other value is printed as an md5 digest.
PRINTABLE_COLUMNS = {
    "person_id",
    "previous_person_id",
    "source_table",
    "source_record_id",
    "source_row_number",
    "file_line_number",
    "identifier_type",
    "parent_identifier_type",
    "quarantine_rule",
    "change_kind",
    "edge_rule",
    "build_sequence",
    "raw_rows",
    "used_rows",
    "quarantined_rows",
    "exact_copies_removed",
    "is_balanced",
    "identifiers_moved",
}


def java_available() -> bool:
    java_home = os.environ.get("JAVA_HOME")
    return bool(shutil.which("java") or (java_home and (Path(java_home) / "bin" / "java").exists()))


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not java_available(),
        reason="Java is missing (no java on PATH, no JAVA_HOME): local Spark needs a JRE 17;"
        " .ci/run installs Debian's openjdk-17-jre-headless when it can",
    ),
]


@dataclass(frozen=True)
class Builds:
    root: Path
    duckdb_path: Path
    warehouse: Path
    seconds: dict[str, float]

    def duckdb_tables(self) -> list[tuple[str, str]]:
        with duckdb.connect(str(self.duckdb_path), read_only=True) as con:
            return con.execute(
                "select table_schema, table_name from information_schema.tables"
                " where table_type = 'BASE TABLE' and table_schema in ?"
                " order by 1, 2",
                [list(SCHEMAS)],
            ).fetchall()

    def spark_folder(self, schema: str, table: str) -> Path:
        return self.warehouse / f"{schema}.db" / table

    def columns(self, schema: str, table: str) -> list[str]:
        with duckdb.connect(str(self.duckdb_path), read_only=True) as con:
            return [row[0] for row in con.execute(f"describe {schema}.{table}").fetchall()]

    def rows(self, engine: str, schema: str, table: str, columns: list[str]) -> Counter:
        """The table's rows as text tuples (both read by DuckDB, so values print alike)."""
        select = ", ".join(f'cast("{column}" as varchar)' for column in columns)
        if engine == "duckdb":
            with duckdb.connect(str(self.duckdb_path), read_only=True) as con:
                return Counter(con.execute(f"select {select} from {schema}.{table}").fetchall())
        folder = self.spark_folder(schema, table)
        files = sorted(folder.glob("*.parquet"))
        if not files:
            return Counter()
        with duckdb.connect() as con:
            return Counter(
                con.execute(
                    f"select {select} from read_parquet(?)", [[str(path) for path in files]]
                ).fetchall()
            )


def timed(seconds: dict[str, float], name: str, *args, **kwargs) -> None:
    """``run_dbt(*args, **kwargs)``, its wall time in ``seconds[name]``."""
    started = time.perf_counter()
    run_dbt(*args, **kwargs)
    seconds[name] = time.perf_counter() - started


def both(first, second) -> None:
    """Two calls at once (each waits on its own dbt process); re-raises the first error."""
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="parity") as pool:
        futures = [pool.submit(first), pool.submit(second)]
        for future in futures:
            future.result()


def build_both_engines(root: Path) -> Builds:
    """The generated demo built on DuckDB and on Spark, each in its own folder.

    The two engines share nothing but the raw files, so their builds run at the same
    time; so do the two runs of the history models.
    """
    from personagraph.generator import GeneratorConfig, generate

    generate(GeneratorConfig(people=PEOPLE, seed=SEED), out_dir=root)
    seconds: dict[str, float] = {}
    duckdb_path = root / "duckdb" / "personagraph.duckdb"
    duckdb_paths = [
        "--target-path",
        str(root / "duckdb" / "target"),
        "--log-path",
        str(root / "duckdb" / "logs"),
    ]
    spark_dir = root / "spark"
    spark_paths = [
        "--target-path",
        str(spark_dir / "target"),
        "--log-path",
        str(spark_dir / "logs"),
    ]
    spark_env = {"PERSONAGRAPH_TARGET": "spark", "PERSONAGRAPH_SPARK_DIR": str(spark_dir)}
    both(
        lambda: timed(
            seconds,
            "duckdb",
            # The unit tests (the same result on any data) run in the demo build.
            ["build", "--exclude-resource-type", "unit_test", *duckdb_paths],
            root / "raw",
            duckdb_path,
            log_path=root / "duckdb" / "build.log",
            quiet=True,
        ),
        lambda: timed(
            seconds,
            "spark",
            # dbt-spark cannot run this project's unit tests (their fixtures are DuckDB
            # SQL); they run on DuckDB in the demo build (conftest).
            ["build", "--exclude-resource-type", "unit_test", *spark_paths],
            root / "raw",
            spark_dir / "unused.duckdb",
            log_path=spark_dir / "build.log",
            quiet=True,
            extra_env=spark_env,
        ),
    )
    # A second build of the history models runs their incremental path (appending to the
    # Parquet table on Spark) on both engines.
    history = ["run", "--select", "person_id_changes", "person_id_merges_and_splits"]
    history += ["--vars", "{raw__skip_load: true}"]
    both(
        lambda: timed(
            seconds,
            "duckdb_history",
            [*history, *duckdb_paths],
            root / "raw",
            duckdb_path,
            log_path=root / "duckdb" / "history.log",
            quiet=True,
        ),
        lambda: timed(
            seconds,
            "spark_history",
            [*history, *spark_paths],
            root / "raw",
            spark_dir / "unused.duckdb",
            log_path=spark_dir / "history.log",
            quiet=True,
            extra_env=spark_env,
        ),
    )
    return Builds(root, duckdb_path, spark_dir / "warehouse", seconds)


def start_in_background(tmp_path_factory: pytest.TempPathFactory, items) -> Future | None:
    """The builds (minutes, mostly Spark's JVM) start with the session when Java is there."""
    if not java_available() or not any("builds" in item.fixturenames for item in items):
        return None
    root = tmp_path_factory.mktemp("spark_parity")
    return in_background(build_both_engines, root)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    built = background_result(__name__)
    if built is None:
        built = build_both_engines(tmp_path_factory.mktemp("spark_parity"))
    seconds = built.seconds
    print(
        f"\nbuild seconds: DuckDB {seconds['duckdb']:.1f}, Spark {seconds['spark']:.1f},"
        f" Spark history models again {seconds['spark_history']:.1f}"
    )
    return built


def shown(columns: tuple[str, ...] | list[str], row: tuple) -> str:
    return ", ".join(
        f"{column}={value if column in PRINTABLE_COLUMNS or value is None else mask_value(value)}"
        for column, value in zip(columns, row, strict=True)
    )


def content_hash(rows: Counter) -> str:
    """An ordered content hash: md5 of the sorted rows."""
    text = "\n".join(repr(row) for row in sorted(rows.elements(), key=repr))
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def difference(builds: Builds, schema: str, table: str, columns: list[str]) -> str | None:
    """None when both engines hold the same rows, else a precise report."""
    duck = builds.rows("duckdb", schema, table, columns)
    spark = builds.rows("spark", schema, table, columns)
    if content_hash(duck) == content_hash(spark):
        return None
    only_duckdb = sorted((duck - spark).elements(), key=repr)
    only_spark = sorted((spark - duck).elements(), key=repr)
    lines = [
        f"{schema}.{table} ({', '.join(columns)}): DuckDB {sum(duck.values())} rows,"
        f" Spark {sum(spark.values())} rows; {len(only_duckdb)} only on DuckDB,"
        f" {len(only_spark)} only on Spark"
    ]
    lines += [f"  only DuckDB: {shown(columns, row)}" for row in only_duckdb[:10]]
    lines += [f"  only Spark:  {shown(columns, row)}" for row in only_spark[:10]]
    return "\n".join(lines)


def test_spark_builds_every_table_of_the_duckdb_build(builds: Builds) -> None:
    missing = [
        f"{schema}.{table}"
        for schema, table in builds.duckdb_tables()
        if not builds.spark_folder(schema, table).is_dir()
    ]
    assert not missing, f"tables the Spark build did not write: {missing}"
    assert len(builds.duckdb_tables()) > 40


def test_same_persons_and_person_ids(builds: Builds) -> None:
    """The partition of records into persons, and every person's id."""
    columns = list(KEY_COLUMNS[("marts", "person_source_records")])
    report = difference(builds, "marts", "person_source_records", columns)
    assert report is None, report
    assert sum(builds.rows("spark", "marts", "person_source_records", columns).values()) > 1000


def test_same_mart_keys_quarantine_rules_and_reconciliation(builds: Builds) -> None:
    reports = []
    for (schema, table), columns in KEY_COLUMNS.items():
        reports.append(difference(builds, schema, table, list(columns)))
    quarantine_tables = [
        table
        for schema, table in builds.duckdb_tables()
        if schema == "quarantine" and table.endswith("_quarantine")
    ]
    assert len(quarantine_tables) == 14
    for table in quarantine_tables:
        reports.append(difference(builds, "quarantine", table, list(QUARANTINE_KEY)))
    failures = [report for report in reports if report]
    assert not failures, "\n".join(failures)


def test_every_table_has_the_same_content(builds: Builds) -> None:
    """Whole rows of every table, but for the columns that differ by design."""
    failures = []
    for schema, table in builds.duckdb_tables():
        columns = [c for c in builds.columns(schema, table) if c not in EXEMPT_COLUMNS]
        report = difference(builds, schema, table, columns)
        if report:
            failures.append(report)
    assert not failures, "\n".join(failures)


def test_the_spark_build_prints_no_personal_email_or_phone(builds: Builds) -> None:
    """Spark's own log lines (plans, warnings) go to the build output: none may hold a
    person's email or phone."""
    personal = set()
    with open(builds.root / "truth" / "identifiers.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["kind"] == "personal" and row["identifier_type"] in ("email", "phone"):
                personal.add(row["identifier_value"].lower())
    assert len(personal) > 50
    spark_dir = builds.root / "spark"
    texts = [spark_dir / "build.log", spark_dir / "history.log"]
    texts += sorted((spark_dir / "logs").glob("*.log"))
    leaks = []
    for path in texts:
        text = path.read_text(encoding="utf-8", errors="replace").lower()
        leaks += [f"{path.name}: {mask_value(value)}" for value in personal if value in text]
    assert not leaks, leaks[:10]
