"""Identity scenarios end to end: tiny raw files, a real dbt build, expected persons.

Each scenario uses its own ids, so all of them share one raw folder and one build.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from personagraph.dbt_runner import run_dbt

COLUMNS = {
    "web_events": [
        "event_id", "event_at", "anonymous_id", "user_id", "email", "esp_record_id",
        "event_type", "page_url", "product_id", "device_type", "ip_address", "user_agent",
    ],
    "app_events": [
        "event_id", "event_at", "device_id", "user_id", "event_type", "product_id", "platform",
        "app_version",
    ],
    "shop_customers": [
        "customer_id", "email", "phone", "first_name", "last_name", "created_at", "updated_at",
        "accepts_marketing",
    ],
    "shop_orders": [
        "order_id", "customer_id", "email", "phone", "ordered_at", "channel", "store_id",
        "currency", "total_amount", "discount_amount", "status", "loyalty_id",
        "payment_fingerprint", "ship_address_line1", "ship_city", "ship_postcode", "ship_country",
    ],
    "esp_contacts": ["esp_record_id", "email", "subscribed", "subscribed_at", "unsubscribed_at"],
    "support_tickets": [
        "ticket_id", "created_at", "channel", "email", "phone", "customer_name", "topic",
        "satisfaction_score",
    ],
}  # fmt: skip

T = "2024-05-01 10:00:00"
CHAIN_HOPS = 60


def web(event_id: str, cookie: str, **values: str) -> dict:
    return {"event_id": event_id, "event_at": T, "anonymous_id": cookie,
            "event_type": "page_view", **values}  # fmt: skip


def order(order_id: str, **values: str) -> dict:
    return {"order_id": order_id, "ordered_at": T, "channel": "web", "currency": "GBP",
            "total_amount": "10.00", "status": "paid", **values}  # fmt: skip


def scenario_rows() -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {table: [] for table in COLUMNS}
    # 1. anonymous browsing that later logs in
    rows["web_events"] += [web(f"W1-{i}", "cookie-1") for i in range(3)]
    rows["web_events"].append(web("W1-login", "cookie-1", user_id="C1", event_type="login"))
    rows["web_events"].append(web("W1-after", "cookie-1", user_id="C1"))
    rows["shop_customers"].append({"customer_id": "C1", "email": "one@mail.test.org"})
    # 2. a guest checkout found by its email
    rows["shop_customers"].append({"customer_id": "C2", "email": "Jane.Two@Mail.test.org"})
    rows["shop_orders"].append(order("O2", email=" jane.two@mail.test.org "))
    # 3. a forwarded link: Ann's ESP link clicked on Bob's cookie, where Bob logs in
    rows["esp_contacts"].append({"esp_record_id": "E3", "email": "ann@mail.test.org"})
    rows["shop_customers"].append({"customer_id": "C3", "email": "ann@mail.test.org"})
    rows["shop_customers"].append({"customer_id": "C4", "email": "bob@mail.test.org"})
    rows["web_events"].append(web("W3-click", "cookie-bob", esp_record_id="E3",
                                  event_type="email_click"))  # fmt: skip
    rows["web_events"].append(web("W3-login", "cookie-bob", user_id="C4", event_type="login"))
    rows["web_events"].append(web("W3-after", "cookie-bob", user_id="C4"))
    # 4. a shared family tablet
    rows["shop_customers"].append({"customer_id": "C5", "email": "mum@mail.test.org"})
    rows["shop_customers"].append({"customer_id": "C6", "email": "son@mail.test.org"})
    for event_id, user in (("A5-1", "C5"), ("A5-2", "C6"), ("A5-3", ""), ("A5-4", "")):
        rows["app_events"].append({"event_id": event_id, "event_at": T, "device_id": "TABLET-5",
                                   "user_id": user, "event_type": "app_open"})  # fmt: skip
    # 5. a store's shared email on six customers' orders
    for i in range(7, 13):
        rows["shop_orders"].append(order(f"O{i}", customer_id=f"C{i}", channel="store",
                                         email="store5@shop.test.org"))  # fmt: skip
    # 6. two people whose only shared value is junk
    rows["shop_customers"].append({"customer_id": "C13", "email": "test@test.com"})
    rows["shop_customers"].append({"customer_id": "C14", "email": "TEST@test.com "})
    # 7. a chain of 60 hops: each order links the previous phone to the next email
    rows["shop_customers"].append({"customer_id": "C20", "email": "chain0@mail.test.org"})
    for hop in range(CHAIN_HOPS // 2):
        rows["shop_orders"].append(order(f"O20-{hop}a", email=f"chain{hop}@mail.test.org",
                                         phone=f"+44 7700 9{hop:05d}"))  # fmt: skip
        rows["shop_orders"].append(order(f"O20-{hop}b", phone=f"+44 7700 9{hop:05d}",
                                         email=f"chain{hop + 1}@mail.test.org"))  # fmt: skip
    # 9. one login on a tablet that someone else also uses anonymously
    rows["shop_customers"].append({"customer_id": "C15", "email": "dad@mail.test.org"})
    for event_id, user in (("A9-login", "C15"), ("A9-anonymous", "")):
        rows["app_events"].append({"event_id": event_id, "event_at": T, "device_id": "TABLET-9",
                                   "user_id": user, "event_type": "app_open"})  # fmt: skip
    # 8. a ticket without any identifier is a person of its own
    rows["support_tickets"].append({"ticket_id": "T8", "created_at": T, "channel": "chat"})
    return rows


def dbt_side_paths(work_dir: Path) -> list[str]:
    """dbt's target and log folders of a build of its own (the project's are the demo's)."""
    return ["--target-path", str(work_dir / "target"), "--log-path", str(work_dir / "logs")]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scenarios")
    raw = root / "raw"
    raw.mkdir()
    for table, rows in scenario_rows().items():
        with open(raw / f"{table}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS[table])
            writer.writeheader()
            writer.writerows(rows)
    db_path = root / "scenarios.duckdb"
    # Every model and data test; the unit tests (fixed fixtures, the same result on any raw
    # data) run once per session, in the demo build (conftest).
    run_dbt(
        ["build", "--exclude-resource-type", "unit_test", *dbt_side_paths(root)],
        raw,
        db_path,
        log_path=root / "build.log",
        quiet=True,
    )
    return db_path


def person_of(db_path: Path, source_table: str, record_id: str) -> str:
    with duckdb.connect(str(db_path), read_only=True) as con:
        found = con.execute(
            "select person_id from marts.person_source_records"
            " where source_table = ? and source_record_id = ?",
            [source_table, record_id],
        ).fetchone()
    assert found, f"{source_table}:{record_id} has no person"
    return found[0]


def test_anonymous_browsing_joins_the_person_who_later_logs_in(built: Path) -> None:
    customer = person_of(built, "shop_customers", "C1")
    for event_id in ("W1-0", "W1-1", "W1-2", "W1-login", "W1-after"):
        assert person_of(built, "web_events", event_id) == customer


def test_a_guest_checkout_is_found_by_its_normalised_email(built: Path) -> None:
    assert person_of(built, "shop_orders", "O2") == person_of(built, "shop_customers", "C2")


def test_a_forwarded_link_follows_the_clicker_not_the_recipient(built: Path) -> None:
    ann = person_of(built, "shop_customers", "C3")
    bob = person_of(built, "shop_customers", "C4")
    assert ann != bob
    assert person_of(built, "esp_contacts", "E3") == ann
    assert person_of(built, "web_events", "W3-click") == bob


def test_a_shared_family_tablet_merges_no_one(built: Path) -> None:
    mum = person_of(built, "shop_customers", "C5")
    son = person_of(built, "shop_customers", "C6")
    assert mum != son
    assert person_of(built, "app_events", "A5-1") == mum
    assert person_of(built, "app_events", "A5-2") == son
    # Whose the anonymous events were cannot be told: the tablet is a profile of its own.
    anonymous = person_of(built, "app_events", "A5-3")
    assert anonymous == person_of(built, "app_events", "A5-4")
    assert anonymous not in (mum, son)


def test_a_store_email_does_not_merge_its_customers(built: Path) -> None:
    persons = {person_of(built, "shop_orders", f"O{i}") for i in range(7, 13)}
    assert len(persons) == 6


def test_a_junk_email_does_not_merge_two_people(built: Path) -> None:
    assert person_of(built, "shop_customers", "C13") != person_of(built, "shop_customers", "C14")


def test_a_chain_of_60_hops_is_one_person(built: Path) -> None:
    start = person_of(built, "shop_customers", "C20")
    for hop in range(CHAIN_HOPS // 2):
        assert person_of(built, "shop_orders", f"O20-{hop}a") == start
        assert person_of(built, "shop_orders", f"O20-{hop}b") == start


def test_a_record_without_identifiers_is_a_person_of_its_own(built: Path) -> None:
    with duckdb.connect(str(built), read_only=True) as con:
        rows = con.execute(
            "select person_id, assignment_rule from marts.person_source_records"
            " where source_table = 'support_tickets'"
        ).fetchall()
    assert len(rows) == 1 and rows[0][1] == "no_identifier"
    assert rows[0][0] not in {person_of(built, "shop_customers", "C1")}


def test_guards_are_recorded_with_masked_values(built: Path) -> None:
    with duckdb.connect(str(built), read_only=True) as con:
        guards = con.execute(
            "select guard, identifier_type, identifier_value_masked"
            " from identity.int_identity_guard_log"
        ).fetchall()
    kinds = {(guard, identifier_type) for guard, identifier_type, _ in guards}
    assert ("blocklist", "email") in kinds
    assert ("hub", "email") in kinds
    assert ("shared_device", "device_id") in kinds
    assert all("@" not in value for _, kind, value in guards if kind == "email")


def test_person_ids_derive_from_the_anchor(built: Path) -> None:
    import hashlib

    expected = "p_" + hashlib.md5(b"customer_id:C1").hexdigest()[:16]
    assert person_of(built, "shop_customers", "C1") == expected


def test_a_single_login_on_a_device_does_not_claim_it(built: Path) -> None:
    """One login on a family tablet: the login event is the person's, the rest is not."""
    with duckdb.connect(str(built), read_only=True) as con:
        assignment = con.execute(
            "select assignment from identity.int_identity_device_assignments"
            " where identifier_value = 'TABLET-9'"
        ).fetchone()[0]
    assert assignment == "unconfirmed_tie"
    dad = person_of(built, "shop_customers", "C15")
    assert person_of(built, "app_events", "A9-login") == dad
    assert person_of(built, "app_events", "A9-anonymous") != dad


def test_explain_walks_from_a_record_to_its_persons_anchor(built: Path) -> None:
    from personagraph.explain import explain_record

    text = explain_record(built, "shop_orders", "O20-29b")
    assert "belongs to " + person_of(built, "shop_customers", "C20") in text
    assert "customer_id C20: the person's anchor" in text
    assert "same_shop_orders" in text
    assert "@" not in text, "emails are masked unless asked for"
    shown = explain_record(built, "shop_orders", "O20-29b", show_values=True)
    assert "chain30@mail.test.org" in shown
    assert "is not a usable record" in explain_record(built, "shop_orders", "nope")


def test_the_iterative_stitching_gives_the_same_persons(built: Path, tmp_path: Path) -> None:
    """The portable statement-driven variant (Spark's) equals the recursive CTE.

    A copy of the scenario build rebuilds the stitching and everything after it with the
    iterative variant (staging and raw files as they were: raw__skip_load)."""
    # Same file name: DuckDB names the catalog after it, and the copied views refer to it.
    db_path = tmp_path / "iterative" / built.name
    db_path.parent.mkdir()
    shutil.copy(built, db_path)
    run_dbt(
        [
            "run",
            "--select",
            "int_identity_components+",
            "--vars",
            "{identity__stitching_method: iterative, raw__skip_load: true}",
            *dbt_side_paths(tmp_path),
        ],
        built.parent / "raw",
        db_path,
        quiet=True,
    )
    query = "select * from marts.person_source_records order by source_table, source_record_id"
    with duckdb.connect(str(built), read_only=True) as con:
        recursive = con.execute(query).fetchall()
    with duckdb.connect(str(db_path), read_only=True) as con:
        iterative = con.execute(query).fetchall()
    assert recursive == iterative
