"""The demo data generator: contract shape, ground truth, situations, determinism."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from personagraph.generator import (
    RECORD_ID,
    SITUATION_NEEDS,
    SITUATIONS,
    TABLES,
    GeneratorConfig,
    generate,
)

PEOPLE = 1200
SEED = 7
CONTRACT_COLUMNS = {
    "web_events": "event_id, event_at, anonymous_id, user_id, email, esp_record_id, event_type,"
    " page_url, product_id, device_type, ip_address, user_agent",
    "app_events": "event_id, event_at, device_id, user_id, event_type, product_id, platform,"
    " app_version",
    "shop_customers": "customer_id, email, phone, first_name, last_name, created_at, updated_at,"
    " accepts_marketing",
    "shop_orders": "order_id, customer_id, email, phone, ordered_at, channel, store_id, currency,"
    " total_amount, discount_amount, status, loyalty_id, payment_fingerprint,"
    " ship_address_line1, ship_city, ship_postcode, ship_country",
    "order_lines": "order_id, line_number, product_id, quantity, unit_price",
    "products": "product_id, product_name, category, price",
    "esp_contacts": "esp_record_id, email, subscribed, subscribed_at, unsubscribed_at",
    "esp_events": "esp_record_id, event_at, event_type, campaign_id",
    "crm_contacts": "contact_id, first_name, last_name, date_of_birth, email, personal_email,"
    " phone, address_line1, address_line2, city, postcode, region, country, company,"
    " job_title, updated_at",
    "support_tickets": "ticket_id, created_at, channel, email, phone, customer_name, topic,"
    " satisfaction_score",
    "loyalty_members": "loyalty_id, email, phone, first_name, last_name, date_of_birth, postcode,"
    " tier, points_balance, joined_at",
    "enrichment_profiles": "email, social_handle, interests, age_band, influence_score, fetched_at",
    "consent_events": "subject_type, subject_value, purpose, status, recorded_at, source",
    "privacy_requests": "request_id, subject_type, subject_value, request_type, requested_at",
}
E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, list(reader)


def digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated")
    generate(GeneratorConfig(people=PEOPLE, seed=SEED, chunk_people=500), root)
    return root


@pytest.fixture(scope="module")
def summary(demo: Path) -> dict:
    return json.loads((demo / "truth" / "summary.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def truth_records(demo: Path) -> list[dict[str, str]]:
    with open(demo / "truth" / "records.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def truth_identifiers(demo: Path) -> list[dict[str, str]]:
    with open(demo / "truth" / "identifiers.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path: Path) -> None:
    config = GeneratorConfig(people=300, seed=11, chunk_people=128)
    generate(config, tmp_path / "a")
    generate(config, tmp_path / "b")
    generate(GeneratorConfig(people=300, seed=12, chunk_people=128), tmp_path / "c")
    first, second, other = (digest(tmp_path / name) for name in "abc")
    assert first == second
    assert len(first) == len(TABLES) + 4
    changed = [name for name in first if first[name] != other[name]]
    assert "raw/web_events.csv" in changed and "truth/records.csv" in changed


def test_without_truth_the_raw_files_are_the_same_and_no_truth_file_is_left(
    tmp_path: Path,
) -> None:
    config = GeneratorConfig(people=300, seed=11, chunk_people=128)
    generate(config, tmp_path / "with")
    # Truth files of an earlier run in the same folder must not survive a --no-truth run.
    generate(config, tmp_path / "without")
    summary = generate(config, tmp_path / "without", write_truth=False)
    with_truth, without_truth = digest(tmp_path / "with"), digest(tmp_path / "without")
    raw = {name for name in with_truth if name.startswith("raw/")}
    assert len(raw) == len(TABLES)
    assert {name: without_truth[name] for name in raw} == {name: with_truth[name] for name in raw}
    assert set(without_truth) - raw == {"truth/summary.json"}
    assert summary.truth == {} and "not written" in summary.render()


def test_every_contract_table_has_the_contract_columns_in_order(demo: Path) -> None:
    assert set(TABLES) == set(CONTRACT_COLUMNS)
    for table, columns in CONTRACT_COLUMNS.items():
        header, _ = read_csv(demo / "raw" / f"{table}.csv")
        assert header == columns.split(", "), table
        assert TABLES[table] == header


def test_row_counts_and_malformed_lines_agree_with_the_summary(demo: Path, summary: dict) -> None:
    assert summary["people"] == PEOPLE and summary["seed"] == SEED and summary["format"] == "csv"
    for table, columns in TABLES.items():
        _, rows = read_csv(demo / "raw" / f"{table}.csv")
        wrong = sum(1 for row in rows if len(row) != len(columns))
        counts = summary["tables"][table]
        assert counts["rows"] == len(rows), table
        assert counts["malformed_lines"] == wrong >= 2, table
        assert counts["exact_duplicates"] >= 0
    assert summary["situations"]["wrong_field_count"] == sum(
        t["malformed_lines"] for t in summary["tables"].values()
    )


def test_every_raw_record_id_is_in_the_truth(demo: Path, truth_records: list[dict]) -> None:
    known = defaultdict(set)
    for row in truth_records:
        known[row["source_table"]].add(row["source_record_id"])
        if row["defect"] == "missing_id":
            assert row["source_record_id"] == ""
        else:
            assert (
                row["source_record_id"]
                and row["source_record_id"] == row["source_record_id"].strip()
            )
        assert re.fullmatch(r"t\d{7}", row["person_id"])
    assert set(known) == set(RECORD_ID)
    for table, id_column in RECORD_ID.items():
        header, rows = read_csv(demo / "raw" / f"{table}.csv")
        position = header.index(id_column)
        for row in rows:
            if len(row) == len(header):
                assert row[position].strip() in known[table], (table, row[position])


def test_truth_lists_distinct_records_once_and_marks_defects(
    demo: Path, truth_records: list[dict], summary: dict
) -> None:
    defects = defaultdict(int)
    for row in truth_records:
        defects[row["defect"]] += 1
    assert {"", "missing_id", "bad_timestamp", "bad_number", "bad_optional_value"} <= set(defects)
    assert defects["duplicate_key_conflict"] == summary["situations"]["duplicate_key_conflicts"]
    assert defects["new_version"] == summary["situations"]["new_versions"]
    # raw rows of record tables = truth rows + exact copies + malformed lines
    per_table = defaultdict(int)
    for row in truth_records:
        per_table[row["source_table"]] += 1
    for table in RECORD_ID:
        counts = summary["tables"][table]
        assert counts["rows"] == (
            per_table[table] + counts["exact_duplicates"] + counts["malformed_lines"]
        ), table
    # a key conflict repeats an id with the same true person
    person_of = {}
    for row in truth_records:
        if row["defect"] in ("", "new_version"):
            person_of.setdefault((row["source_table"], row["source_record_id"]), row["person_id"])
    for row in truth_records:
        if row["defect"] in ("duplicate_key_conflict", "new_version"):
            key = (row["source_table"], row["source_record_id"])
            assert person_of[key] == row["person_id"]


def test_every_situation_happens_by_default(summary: dict) -> None:
    assert set(summary["situations"]) == set(SITUATIONS)
    assert set(summary["rates"]) == set(SITUATIONS)
    missing = [name for name, count in summary["situations"].items() if count <= 0]
    assert not missing


@pytest.mark.parametrize("situation", sorted(SITUATIONS))
def test_a_rate_of_zero_switches_a_situation_off(tmp_path: Path, situation: str) -> None:
    config = GeneratorConfig(people=300, seed=3).with_rates(**{situation: 0.0})
    result = generate(config, tmp_path)
    assert result.situations[situation] == 0
    others = [
        name
        for name in SITUATIONS
        if name != situation
        and SITUATION_NEEDS.get(name) != situation
        and result.situations[name] == 0
    ]
    assert not others, f"switching {situation} off also switched off {others}"


def test_all_situations_off_gives_clean_data(tmp_path: Path) -> None:
    config = GeneratorConfig(people=300, seed=5).with_rates(**dict.fromkeys(SITUATIONS, 0.0))
    result = generate(config, tmp_path)
    assert all(count == 0 for count in result.situations.values())
    _, rows = read_csv(tmp_path / "truth" / "records.csv")
    assert rows and all(row[3] == "" for row in rows)
    _, phones = read_csv(tmp_path / "raw" / "shop_customers.csv")
    assert all(row[2] == "" or re.fullmatch(r"0\d{4} \d{6}", row[2]) for row in phones)


def test_junk_values_are_shared_by_many_true_people(truth_identifiers: list[dict]) -> None:
    people = defaultdict(set)
    kinds = defaultdict(set)
    for row in truth_identifiers:
        people[(row["identifier_type"], row["identifier_value"])].add(row["person_id"])
        kinds[(row["identifier_type"], row["identifier_value"])].add(row["kind"])
    junk = [key for key, kind in kinds.items() if kind == {"junk"}]
    assert any(key[0] == "email" for key in junk) and any(key[0] == "phone" for key in junk)
    assert max(len(people[key]) for key in junk) >= 5
    assert ("email", "test@test.com") in people or ("email", "none@none.com") in people
    stores = [key for key, kind in kinds.items() if kind == {"store_email"}]
    assert stores and max(len(people[key]) for key in stores) >= 3
    shared = [key for key, kind in kinds.items() if kind == {"shared_device"}]
    assert shared and all(2 <= len(people[key]) <= 4 for key in shared)
    personal = [key for key, kind in kinds.items() if kind == {"personal"}]
    assert all(len(people[key]) == 1 for key in personal)
    # once per person: no (type, value, person) twice
    triples = [
        (r["identifier_type"], r["identifier_value"], r["person_id"]) for r in truth_identifiers
    ]
    assert len(triples) == len(set(triples))


def test_forwarded_clicks_belong_to_the_clicker(demo: Path, truth_records: list[dict]) -> None:
    person_of_event = {
        row["source_record_id"]: row["person_id"]
        for row in truth_records
        if row["source_table"] == "web_events"
    }
    owner_of_esp = {
        row["source_record_id"]: row["person_id"]
        for row in truth_records
        if row["source_table"] == "esp_contacts"
    }
    header, rows = read_csv(demo / "raw" / "web_events.csv")
    at = {name: header.index(name) for name in ("event_id", "esp_record_id", "event_type")}
    clicks = forwarded = 0
    for row in rows:
        if len(row) != len(header) or row[at["event_type"]] != "email_click":
            continue
        event, esp = row[at["event_id"]].strip(), row[at["esp_record_id"]].strip()
        if not event or event not in person_of_event or esp not in owner_of_esp:
            continue
        clicks += 1
        forwarded += person_of_event[event] != owner_of_esp[esp]
    assert clicks > 50
    assert 0 < forwarded < clicks / 3


def test_truth_emails_and_phones_are_normalised(truth_identifiers: list[dict]) -> None:
    types = {row["identifier_type"] for row in truth_identifiers}
    assert types == {
        "email", "phone", "customer_id", "loyalty_id", "crm_contact_id", "esp_record_id",
        "anonymous_id", "device_id", "payment_fingerprint",
    }  # fmt: skip
    assert {row["kind"] for row in truth_identifiers} == {
        "personal", "shared_device", "store_email", "junk",
    }  # fmt: skip
    for row in truth_identifiers:
        value = row["identifier_value"]
        assert value and value == value.strip()
        if row["identifier_type"] == "email":
            assert value == value.lower() and value.count("@") == 1, value
        elif row["identifier_type"] == "phone":
            assert E164.match(value), value


def test_raw_phones_normalise_to_the_truth(demo: Path, truth_identifiers: list[dict]) -> None:
    """A small reference normaliser (GB default) maps every written phone onto the truth."""
    phones = {(r["person_id"], r["identifier_value"]) for r in truth_identifiers
              if r["identifier_type"] == "phone"}  # fmt: skip
    person_of = {}
    with open(demo / "truth" / "records.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["source_table"] == "loyalty_members":
                person_of[row["source_record_id"]] = row["person_id"]
    header, rows = read_csv(demo / "raw" / "loyalty_members.csv")
    checked = 0
    for row in rows:
        if len(row) != len(header) or not row[2].strip() or not row[0].strip():
            continue
        text = row[2].strip().replace("(0)", "")
        digits = re.sub(r"[^0-9]", "", text)
        if text.startswith("+") or text.startswith("00"):
            e164 = "+" + re.sub(r"^00", "", digits)
        elif digits.startswith("0"):
            e164 = "+44" + digits[1:]
        elif digits.startswith("44") and len(digits) >= 11:
            e164 = "+" + digits
        else:
            e164 = "+44" + digits
        if not E164.match(e164):  # e.g. junk "0000000000": no phone at all
            assert not any(value == e164 for _, value in phones)
            continue
        assert (person_of[row[0].strip()], e164) in phones, row[2]
        checked += 1
    assert checked > 100


def test_people_truth_has_one_row_per_person(demo: Path) -> None:
    header, rows = read_csv(demo / "truth" / "people.csv")
    assert header[:3] == ["person_id", "first_name", "last_name"]
    assert "household_id" in header and "phone_e164" in header
    assert len(rows) == PEOPLE == len({row[0] for row in rows})


def test_parquet_has_the_same_rows_as_csv(tmp_path: Path) -> None:
    config = GeneratorConfig(people=400, seed=9, chunk_people=150)
    as_csv = generate(config, tmp_path / "csv")
    as_parquet = generate(config, tmp_path / "parquet", file_format="parquet")
    for table, columns in TABLES.items():
        data = pq.read_table(tmp_path / "parquet" / "raw" / f"{table}.parquet")
        assert data.column_names == columns
        assert all(str(field.type) == "string" for field in data.schema)
        csv_rows = as_csv.tables[table]["rows"] - as_csv.tables[table]["malformed_lines"]
        assert data.num_rows == csv_rows == as_parquet.tables[table]["rows"], table
        assert as_parquet.tables[table]["malformed_lines"] == 0
    same = ("records.csv", "identifiers.csv", "people.csv")
    for name in same:
        assert (tmp_path / "csv" / "truth" / name).read_bytes() == (
            tmp_path / "parquet" / "truth" / name
        ).read_bytes()


def test_render_is_a_table_of_counts_without_personal_values(
    tmp_path: Path, truth_identifiers: list[dict]
) -> None:
    result = generate(GeneratorConfig(people=PEOPLE, seed=SEED, chunk_people=500), tmp_path)
    text = result.render()
    assert "web_events" in text and "forwarded_click" in text
    personal = {r["identifier_value"] for r in truth_identifiers
                if r["identifier_type"] in ("email", "phone")}  # fmt: skip
    assert not [value for value in personal if value in text]
    assert "@" not in text
