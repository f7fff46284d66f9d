"""Person ids across builds: stable for unchanged clusters, merges and splits logged."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import duckdb

from personagraph.dbt_runner import run_dbt

CUSTOMER_COLUMNS = ["customer_id", "email", "phone"]
ORDER_COLUMNS = [
    "order_id",
    "customer_id",
    "email",
    "phone",
    "ordered_at",
    "total_amount",
    "status",
]


# Every build's data tests run; the unit tests (fixed fixtures, the same result on any raw
# data) run in the demo build and in test_identity_scenarios.
BUILD = ["build", "--exclude-resource-type", "unit_test"]


def person_id(anchor: str) -> str:
    return "p_" + hashlib.md5(anchor.encode()).hexdigest()[:16]


def write(raw: Path, customers: list[dict], orders: list[dict]) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    for name, columns, rows in (
        ("shop_customers", CUSTOMER_COLUMNS, customers),
        ("shop_orders", ORDER_COLUMNS, orders),
    ):
        with open(raw / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)


def persons(db_path: Path) -> dict[str, str]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return dict(
            con.execute(
                "select source_record_id, person_id from marts.person_source_records"
                " where source_table = 'shop_customers'"
            ).fetchall()
        )


def test_merges_are_logged_and_unrelated_ids_stay(tmp_path: Path) -> None:
    raw, db_path = tmp_path / "raw", tmp_path / "history.duckdb"
    # dbt's target and log folders of this test's own (both builds: the second one parses
    # the project partially).
    side_paths = ["--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")]
    customers = [
        {"customer_id": "C1", "email": "one@mail.test.org"},
        {"customer_id": "C2", "email": "two@mail.test.org"},
        {"customer_id": "C3", "email": "three@mail.test.org"},
    ]
    write(raw, customers, [])
    run_dbt([*BUILD, *side_paths], raw, db_path, quiet=True)
    first = persons(db_path)
    assert first["C1"] == person_id("customer_id:C1")
    assert len(set(first.values())) == 3

    # An order shows that one.. and two.. are one person; unrelated data arrives too.
    merge_order = {
        "order_id": "O1",
        "email": "two@mail.test.org",
        "phone": "07700 900001",
        "ordered_at": "2024-01-01",
        "total_amount": "5",
        "status": "paid",
    }
    link_order = dict(merge_order, order_id="O2", email="one@mail.test.org")
    unrelated = {"customer_id": "C9", "email": "nine@mail.test.org"}
    write(raw, [*customers, unrelated], [merge_order, link_order])
    run_dbt([*BUILD, *side_paths], raw, db_path, quiet=True)
    second = persons(db_path)
    assert second["C1"] == second["C2"] == person_id("customer_id:C1")
    assert second["C3"] == first["C3"], "an unrelated person's id must not change"

    with duckdb.connect(str(db_path), read_only=True) as con:
        merges = con.execute(
            "select previous_person_id, person_id, change_kind"
            " from marts.person_id_merges_and_splits where build_sequence = 2"
        ).fetchall()
        kinds = dict(
            con.execute(
                "select change_kind, count(*) from marts.person_id_changes"
                " where build_sequence = 2 group by 1"
            ).fetchall()
        )
    assert merges == [(first["C2"], first["C1"], "merge")]
    assert kinds["moved"] == 2  # customer_id:C2 and its email
    assert kinds["appeared"] == 3  # C9, its email, the phone
