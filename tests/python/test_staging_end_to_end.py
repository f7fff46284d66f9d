"""End to end: generated dirty data with ground truth, built by dbt, checked against truth."""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest
from conftest import Demo

from personagraph.dbt_runner import DbtError, run_dbt

CONTRACT_TABLES = [
    "web_events",
    "app_events",
    "shop_customers",
    "shop_orders",
    "order_lines",
    "products",
    "esp_contacts",
    "esp_events",
    "crm_contacts",
    "support_tickets",
    "loyalty_members",
    "enrichment_profiles",
    "consent_events",
    "privacy_requests",
]

RECORD_TABLES = {
    "web_events": ("stg_web__events", "event_id"),
    "app_events": ("stg_app__events", "event_id"),
    "shop_customers": ("stg_shop__customers", "customer_id"),
    "shop_orders": ("stg_shop__orders", "order_id"),
    "esp_contacts": ("stg_esp__contacts", "esp_record_id"),
    "crm_contacts": ("stg_crm__contacts", "contact_id"),
    "support_tickets": ("stg_support__tickets", "ticket_id"),
    "loyalty_members": ("stg_loyalty__members", "loyalty_id"),
}


def count_csv_records(path) -> int:
    """Records in a CSV file after the header, counted by Python's csv module (RFC 4180)."""
    with open(path, newline="", encoding="utf-8", errors="replace") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        return sum(1 for _ in reader)


def test_the_database_is_written_in_the_storage_format_of_the_profile(demo: Demo) -> None:
    # profiles.yml asks for DuckDB 1.5's format (faster string writes); without the
    # option a new file would be in the 0.10-compatible default (tagged v1.0.0+).
    sql = "select tags from duckdb_databases() where path = ?"
    ((tags,),) = demo.query(sql, [str(demo.db_path)])
    assert tags["storage_version"] == "v1.5.0+"


def test_every_contract_table_is_reconciled_and_balanced(demo: Demo) -> None:
    rows = demo.query(
        "select source_table, raw_rows, used_rows, quarantined_rows, exact_copies_removed,"
        " is_balanced from quarantine.raw_reconciliation"
    )
    assert sorted(row[0] for row in rows) == sorted(CONTRACT_TABLES)
    for table, raw, used, quarantined, duplicates, balanced in rows:
        assert balanced, table
        assert raw == used + quarantined + duplicates, table


def test_raw_row_counts_agree_with_an_independent_csv_reader(demo: Demo) -> None:
    counted = {table: count_csv_records(demo.raw_dir / f"{table}.csv") for table in CONTRACT_TABLES}
    built = dict(demo.query("select source_table, raw_rows from quarantine.raw_reconciliation"))
    assert built == counted


def test_generated_defects_are_quarantined_or_flagged(demo: Demo) -> None:
    summary = demo.summary()
    total_quarantined = demo.query(
        "select sum(quarantined_rows), sum(exact_copies_removed) from quarantine.raw_reconciliation"
    )[0]
    assert total_quarantined[0] > 0
    assert total_quarantined[1] > 0
    malformed_lines = sum(
        table_summary.get("malformed_lines", 0)
        for table_summary in summary.get("tables", {}).values()
        if isinstance(table_summary, dict)
    )
    csv_rejects = demo.query("select count(*) from raw._csv_rejects")[0][0]
    if malformed_lines:
        assert csv_rejects == malformed_lines


def test_every_clean_truth_record_reaches_staging(demo: Demo) -> None:
    truth = defaultdict(set)
    for row in demo.truth("records"):
        if row["source_table"] in RECORD_TABLES and not row.get("defect"):
            truth[row["source_table"]].add(row["source_record_id"])
    assert truth, "the truth folder lists no records"
    for table, ids in truth.items():
        model, key = RECORD_TABLES[table]
        staged = {row[0] for row in demo.query(f"select distinct {key} from staging.{model}")}
        missing = ids - staged
        assert not missing, (
            f"{table}: {len(missing)} clean records not staged, e.g. {sorted(missing)[:3]}"
        )


def test_normalised_emails_and_phones_match_the_truth(demo: Demo) -> None:
    """Staged emails and phones of shop customers are the truth person's normalised values."""
    person_of_record = {
        row["source_record_id"]: row["person_id"]
        for row in demo.truth("records")
        if row["source_table"] == "shop_customers"
    }
    values_of_person = defaultdict(set)
    for row in demo.truth("identifiers"):
        if row["identifier_type"] in ("email", "phone"):
            values_of_person[row["person_id"]].add(
                (row["identifier_type"], row["identifier_value"])
            )
    staged = demo.query("select customer_id, email, phone from staging.stg_shop__customers")
    checked = agreed = 0
    for customer_id, email, phone in staged:
        person = person_of_record.get(customer_id)
        if person is None:
            continue
        for kind, value in (("email", email), ("phone", phone)):
            if value is None:
                continue
            checked += 1
            agreed += (kind, value) in values_of_person[person]
    assert checked > 500
    assert agreed / checked >= 0.99, f"{agreed}/{checked} staged values match the truth"


def test_build_log_names_no_personal_values(demo: Demo) -> None:
    people = demo.truth("identifiers")
    personal = {
        row["identifier_value"]
        for row in people
        if row["identifier_type"] in ("email", "phone") and row.get("kind") == "personal"
    }
    leaked = [value for value in personal if value in demo.build_log]
    assert not leaked, f"{len(leaked)} personal values in the build log"


def test_rows_that_share_a_fingerprint_but_differ_fail_the_build(
    demo: Demo, tmp_path: Path
) -> None:
    """raw_row_hash is a 64-bit hash on DuckDB; two different rows sharing one would be
    collapsed as exact copies. The data test must notice: give a row the fingerprint of
    another, different row and the test fails; the demo build as built passes it."""
    db_path = tmp_path / demo.db_path.name
    shutil.copy(demo.db_path, db_path)
    test_args = [
        "test",
        "--select",
        "base_shop__customers_typed,test_name:raw_row_hash_identifies_exact_copies",
        "--vars",
        "{raw__skip_load: true}",
        "--target-path",
        str(tmp_path / "target"),
        "--log-path",
        str(tmp_path / "logs"),
    ]
    run_dbt(test_args, demo.raw_dir, db_path, quiet=True)
    with duckdb.connect(str(db_path)) as con:
        (first_row, first_hash), (second_row, second_hash) = con.execute(
            "select source_row_number, raw_row_hash from staging.base_shop__customers_typed"
            " order by source_row_number limit 2"
        ).fetchall()
        assert first_hash != second_hash
        con.execute(
            "update staging.base_shop__customers_typed set raw_row_hash = ?"
            " where source_row_number = ?",
            [first_hash, second_row],
        )
    with pytest.raises(DbtError, match="raw_row_hash_identifies_exact_copies"):
        run_dbt(test_args, demo.raw_dir, db_path, quiet=True)
