"""The raw file loader on tiny hand-made files: order, extras, gaps, formats, bad files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from personagraph.dbt_runner import DbtError, run_dbt

# The shop customer models and every model they read from (the typed rows among them),
# and the products, whose file the tests here do not write.
SELECT = ["--select", "+stg_shop__customers", "+shop_customers_quarantine", "+stg_shop__products"]


def build(raw_dir: Path, tmp_path: Path, select: list[str] = SELECT) -> tuple[Path, str]:
    db_path = tmp_path / "test.duckdb"
    log_path = tmp_path / "build.log"
    try:
        run_dbt(
            # dbt's target and log folders of its own (the project's are the demo build's).
            ["build", *select, "--target-path", str(tmp_path / "target")]
            + ["--log-path", str(tmp_path / "logs")],
            raw_dir,
            db_path,
            log_path=log_path,
            quiet=True,
        )
    except DbtError:
        raise
    return db_path, log_path.read_text(encoding="utf-8")


def query(db_path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def test_columns_in_any_order_extras_ignored_gaps_read_as_null(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write(
        raw / "shop_customers.csv",
        "Email,CUSTOMER_ID,loyalty_tier,last_name\n"
        '" Ann@Example.com ",C1,gold,"Smith, Jr."\n'
        '"b@example.com",C2,,"O\'Neil ""The Great""\nsecond line"\n'
        "=cmd|' /C calc'!A0,C3,,+SUM(A1)\n",
    )
    db_path, log = build(raw, tmp_path)
    rows = query(
        db_path,
        "select customer_id, email, last_name, first_name from staging.stg_shop__customers "
        "order by customer_id",
    )
    assert rows[0] == ("C1", "ann@example.com", "Smith, Jr.", None)
    assert rows[1][2] == 'O\'Neil "The Great" second line'
    assert rows[2] == ("C3", None, "+SUM(A1)", None)
    assert "extra columns" in log and "loyalty_tier" in log
    assert "read as null" in log and "first_name" in log
    assert "no products.csv or products.parquet" in log and "read as empty" in log


def test_only_the_raw_tables_that_selected_models_read_are_loaded(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write(raw / "shop_customers.csv", "customer_id,email\nC1,a@x.com\nC2,b@x.com,extra\n")
    write(raw / "products.csv", "product_id,product_name\nP1,Mug\n")
    write(raw / "web_events.csv", "event_id,event_at\nE1,2024-01-01 10:00:00\n")
    db_path, log = build(raw, tmp_path)
    not_loaded = next(line for line in log.splitlines() if "not loaded:" in line)
    assert "web_events" in not_loaded and "shop_customers" not in not_loaded
    assert query(db_path, "select table_name from raw._load_log order by 1") == [
        ("products",),
        ("shop_customers",),
    ]
    assert not query(
        db_path, "select * from information_schema.tables where table_name = 'web_events'"
    )

    # A later run that reads only the products reloads them alone: what the shop
    # customers' load left (its log row, its rejected line) stays.
    write(raw / "products.csv", "product_id,product_name\nP1,Mug\nP2,Cup\n")
    db_path, _ = build(raw, tmp_path, ["--select", "+stg_shop__products"])
    assert query(
        db_path, "select table_name, rows_loaded, lines_rejected from raw._load_log order by 1"
    ) == [("products", 2, 0), ("shop_customers", 1, 1)]
    assert query(db_path, "select table_name, line_number from raw._csv_rejects") == [
        ("shop_customers", 3)
    ]


def test_missing_record_id_column_stops_the_build_naming_file_and_column(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write(raw / "shop_customers.csv", "customer_id;email\nC1;a@example.com\n")
    with pytest.raises(DbtError) as error:
        build(raw, tmp_path)
    message = str(error.value)
    assert "shop_customers.csv" in message
    assert 'record id column "customer_id"' in message
    assert "record_id_column_present" in message


def test_parquet_reads_like_csv(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    table = pa.table(
        {
            "customer_id": ["C1", "C2", None],
            "email": ["A@x.com", "bad", "c@x.com"],
            "accepts_marketing": [True, False, True],
            "created_at": pa.array([1, 2, 3], pa.int64()),
        }
    )
    pq.write_table(table, raw / "shop_customers.parquet")
    db_path, _ = build(raw, tmp_path)
    assert query(
        db_path,
        "select customer_id, email, accepts_marketing, unusable_columns "
        "from staging.stg_shop__customers order by 1",
    ) == [("C1", "a@x.com", True, "created_at"), ("C2", None, False, "email, created_at")]
    assert query(db_path, "select quarantine_rule from quarantine.shop_customers_quarantine") == [
        ("record_id_missing",)
    ]


def test_parquet_read_in_place_equals_parquet_copied(tmp_path: Path) -> None:
    """raw__parquet_in_place (the default) reads the file through a view numbered by row
    position; the copy numbers rows by insertion order. Many row groups, read by two
    threads, must still give every row its position in the file."""
    raw = tmp_path / "raw"
    raw.mkdir()
    count = 6000
    ids = [f"C{index}" for index in range(1, count + 1)]
    ids[4100] = ids[17]  # a repeated id: which row wins depends on the row numbers
    emails = [
        f"Person{index}@Example.com" if index % 7 else "not an email" for index in range(count)
    ]
    table = pa.table({"email": emails, "customer_id": ids, "extra_column": ["x"] * count})
    pq.write_table(table, raw / "shop_customers.parquet", row_group_size=500)
    compared = (
        "select source_row_number, customer_id, email, unusable_columns"
        " from staging.stg_shop__customers"
    )
    results = {}
    for in_place in (True, False):
        work = tmp_path / f"in_place_{in_place}"
        run_dbt(
            ["run", *SELECT, "--target-path", str(work / "target"), "--log-path",
             str(work / "logs"), "--vars", f"{{raw__parquet_in_place: {str(in_place).lower()}}}"],
            raw,
            work / "test.duckdb",
            quiet=True,
        )  # fmt: skip
        results[in_place] = (
            query(work / "test.duckdb", compared + " order by source_row_number"),
            query(
                work / "test.duckdb",
                "select * from quarantine.shop_customers_quarantine order by all",
            ),
        )
    assert results[True] == results[False]
    staged = results[True][0]
    assert len(staged) >= count - 2
    # Each staged row's number is its position in the file (1-based).
    assert all(ids[number - 1] == customer_id for number, customer_id, _, _ in staged)


@pytest.mark.parametrize("content", ["", "customer_id,email\n"], ids=["empty", "header_only"])
def test_empty_and_header_only_files_read_as_empty(tmp_path: Path, content: str) -> None:
    raw = tmp_path / "raw"
    write(raw / "shop_customers.csv", content)
    db_path, log = build(raw, tmp_path)
    assert query(db_path, "select count(*) from staging.stg_shop__customers") == [(0,)]
    if not content:
        assert "is empty" in log


def test_lines_with_wrong_field_counts_are_quarantined_with_their_line(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write(
        raw / "shop_customers.csv",
        "customer_id,email,phone\nC1,a@x.com,07700900123\nC2,b@x.com\nC3,c@x.com,1,2,3\nC4,d@x.com,\n",
    )
    db_path, _ = build(raw, tmp_path)
    assert query(db_path, "select customer_id from staging.stg_shop__customers order by 1") == [
        ("C1",),
        ("C4",),
    ]
    assert query(
        db_path,
        "select file_line_number, quarantine_rule from quarantine.shop_customers_quarantine "
        "order by 1",
    ) == [(3, "csv_missing_columns"), (4, "csv_too_many_columns")]
