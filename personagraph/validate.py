"""Quality gates with Great Expectations (GX Core 1.x) over the tables dbt just built.

``personagraph validate`` opens the DuckDB file read-only, reads each table it gates into
pandas and validates it through the file-based GX project in ``gx/``: one pandas data
source, one dataframe asset with a whole-dataframe batch definition per table, one
expectation suite and one validation definition per table, and one checkpoint listing them
all. Personal values are masked in every result before anything is printed, stored or
rendered. It then builds GX Data Docs, writes its own offline HTML report and the
validation results as JSON, and fails when any expectation fails.

The gates are defined in this module (``table_specs``, built from small helpers such as
``emails`` or ``person_ids``); a run saves them to ``gx/`` whenever they differ from what is
stored there, so ``git diff gx/`` shows every change to a gate. Thresholds that depend on
the data (largest person, share of single-record persons, drift tolerance) live in
``gx/personagraph_gates.yml`` and reach the suites as suite parameters.

Why the checkpoint is driven here instead of through ``Checkpoint.run``: GX passes one
``batch_parameters`` (so one dataframe) to every validation definition of a checkpoint.
This module runs the checkpoint's validation definitions itself, in the checkpoint's order
and with its result format, each with its own table (read one at a time, so memory follows
the largest table), masks each result, and then builds the Data Docs site that the
checkpoint's UpdateDataDocsAction names, once for the run.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from personagraph.paths import PROJECT_ROOT
from personagraph.privacy import mask_value

GX_DIR = PROJECT_ROOT / "gx"
GATES_FILE_NAME = "personagraph_gates.yml"
DEFAULT_REPORT_DIR = PROJECT_ROOT / "build" / "validation"
MANIFEST_PATH = PROJECT_ROOT / "target" / "manifest.json"

DATASOURCE = "personagraph"
BATCH_DEFINITION = "whole_table"
CHECKPOINT = "personagraph_build"
DATA_DOCS_SITE = "local_site"
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": 20}
SAMPLE_SIZE = 5

# Formats after normalisation.
EMAIL_REGEX = r"^[^@\sA-Z]+@[^@\sA-Z]+\.[^@\s.A-Z]+$"
E164_REGEX = r"^\+[1-9][0-9]{7,14}$"
PERSON_ID_REGEX = r"^p_[0-9a-f]{16}$"
SHA256_REGEX = r"^[0-9a-f]{64}$"
MD5_HEX_REGEX = r"^[0-9a-f]{32}$"
MASKED_VALUE_REGEX = r"^md5:[0-9a-f]{16}$"
CURRENCY_REGEX = r"^[A-Z]{3}$"
COUNTRY_REGEX = r"^[A-Z]{2}$"

# The contract's raw tables, and those whose records have rows in person_source_records.
RAW_TABLES = (
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
)
RECORD_TABLES = (
    "web_events",
    "app_events",
    "shop_customers",
    "shop_orders",
    "esp_contacts",
    "crm_contacts",
    "support_tickets",
    "loyalty_members",
)
IDENTIFIER_TYPES = (
    "email",
    "phone",
    "customer_id",
    "crm_contact_id",
    "loyalty_id",
    "esp_record_id",
    "payment_fingerprint",
    "anonymous_id",
    "device_id",
)
SUBJECT_TYPES = ("email", "phone", "customer_id", "anonymous_id", "device_id")
CONSENT_PURPOSES = (
    "email_marketing",
    "sms_marketing",
    "personalization",
    "analytics",
    "advertising",
)
# Records placed on a person by one of these rules count as matched (the match rate).
MATCHED_RULES = ("known_identifier", "device")

# Column names that hold personal data when the dbt manifest does not say so.
SENSITIVE_NAME = re.compile(
    r"email|phone|(first|last|middle|full|customer|contact|person)_name|address|postcode|city|"
    r"birth|subject_value|identifier_value|"
    r"raw_record|social_handle|ip_address|linked_identifier|anchor_value|hashed|sha256"
)
PHONE_LIKE = re.compile(r"^\+?[0-9][0-9 ().-]{6,}$")
ISO_DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}")


# ---------------------------------------------------------------------------------------
# Configuration


@dataclass(frozen=True)
class Gates:
    """Thresholds read from ``gx/personagraph_gates.yml`` (defaults when absent)."""

    max_records_per_person: int = 5000
    single_record_share_min: float = 0.02
    single_record_share_max: float = 0.80
    drift_tolerance: float = 0.20
    hashed_identifier_suffixes: tuple[str, ...] = ("_sha256",)
    audience_table_prefix: str = "audience"
    consent_column: str = "has_consent"


def load_gates(path: Path) -> Gates:
    """The thresholds in ``path``; a missing file or key keeps the default."""
    import yaml

    if not path.exists():
        return Gates()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    size = data.get("person_size") or {}
    share = size.get("single_record_share") or {}
    drift = data.get("drift") or {}
    activation = data.get("activation") or {}
    default = Gates()
    return Gates(
        max_records_per_person=int(
            size.get("max_records_per_person", default.max_records_per_person)
        ),
        single_record_share_min=float(share.get("min", default.single_record_share_min)),
        single_record_share_max=float(share.get("max", default.single_record_share_max)),
        drift_tolerance=float(drift.get("tolerance", default.drift_tolerance)),
        hashed_identifier_suffixes=tuple(
            activation.get("hashed_identifier_suffixes", default.hashed_identifier_suffixes)
        ),
        audience_table_prefix=str(
            activation.get("audience_table_prefix", default.audience_table_prefix)
        ),
        consent_column=str(activation.get("consent_column", default.consent_column)),
    )


# ---------------------------------------------------------------------------------------
# Gate definitions: what each table must satisfy


# A row condition: the expectation looks only at rows whose column holds one of the values.
Where = tuple[str, tuple[str, ...]]


def when(column: str, *values: str) -> Where:
    return (column, values)


@dataclass(frozen=True)
class Check:
    """One expectation: a GX expectation type, its arguments and what it means here."""

    expectation: str
    kwargs: dict[str, Any]
    description: str
    where: Where | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns the expectation looks at."""
        names = [self.kwargs.get(key) for key in ("column", "column_A", "column_B")]
        names += list(self.kwargs.get("column_list") or [])
        return tuple(name for name in names if name)


@dataclass(frozen=True)
class TableSpec:
    """The gates of one table (or of a frame derived from tables by SQL).

    ``name`` is the GX data asset, suite and validation definition. A derived frame has a
    ``load`` function returning the frame (or None and a note when what it needs is
    absent) and says which tables it is computed ``from``. ``planned`` marks a table that
    a later part of the project will build: until it exists its gates are skipped with a
    printed note instead of failing.
    """

    name: str
    layer: str
    checks: tuple[Check, ...]
    key_columns: tuple[str, ...] = ()
    source: str | None = None
    load: Callable[[duckdb.DuckDBPyConnection, Gates], tuple[pd.DataFrame | None, str]] | None = (
        None
    )
    planned: str | None = None

    @property
    def table(self) -> str:
        """What a reader should look at when a gate fails."""
        return self.source or self.name


def not_null(*columns: str) -> list[Check]:
    return [
        Check("expect_column_values_to_not_be_null", {"column": column}, f"{column} is present")
        for column in columns
    ]


def keyed(*columns: str) -> list[Check]:
    """A primary key: present and unique (compound when several columns)."""
    if len(columns) == 1:
        unique = Check(
            "expect_column_values_to_be_unique",
            {"column": columns[0]},
            f"{columns[0]} identifies one row",
        )
    else:
        unique = Check(
            "expect_compound_columns_to_be_unique",
            {"column_list": list(columns)},
            f"({', '.join(columns)}) identifies one row",
        )
    return [*not_null(*columns), unique]


def emails(*columns: str, where: Where | None = None) -> list[Check]:
    """Normalised emails: lower case, one @, a dot in the domain, no spaces."""
    return [
        _regex(
            column,
            EMAIL_REGEX,
            "normalised email (lower case, shaped like an address)",
            where,
        )
        for column in columns
    ]


def phones(*columns: str, where: Where | None = None) -> list[Check]:
    """Normalised phones: E.164."""
    return [
        _regex(column, E164_REGEX, "normalised phone in E.164 (+ and 8 to 15 digits)", where)
        for column in columns
    ]


def person_ids(column: str = "person_id", *, nullable: bool = False) -> list[Check]:
    """Stable person keys: 'p_' and 16 hex digits of md5."""
    checks = [] if nullable else not_null(column)
    return [*checks, _regex(column, PERSON_ID_REGEX, "person id is 'p_' + 16 lowercase hex")]


def hashed_identifiers(*columns: str) -> list[Check]:
    """Identifiers hashed for ad and email platforms: SHA-256, 64 lowercase hex."""
    return [
        _regex(column, SHA256_REGEX, "hashed identifier is SHA-256 (64 lowercase hex)")
        for column in columns
    ]


def masked(*columns: str, where: Where | None = None) -> list[Check]:
    """Values masked the project's way: 'md5:' and 16 hex digits."""
    return [
        _regex(column, MASKED_VALUE_REGEX, "personal value masked as 'md5:' + 16 hex", where)
        for column in columns
    ]


def one_of(column: str, values: Iterable[Any], why: str | None = None) -> list[Check]:
    values = list(values)
    return [
        Check(
            "expect_column_values_to_be_in_set",
            {"column": column, "value_set": values},
            why or f"{column} is one of the contract's values",
        )
    ]


def all_true(column: str, why: str) -> list[Check]:
    return [
        Check("expect_column_values_to_be_in_set", {"column": column, "value_set": [True]}, why)
    ]


def between(
    column: str, minimum: Any = None, maximum: Any = None, why: str | None = None
) -> list[Check]:
    kwargs: dict[str, Any] = {"column": column}
    if minimum is not None:
        kwargs["min_value"] = minimum
    if maximum is not None:
        kwargs["max_value"] = maximum
    return [Check("expect_column_values_to_be_between", kwargs, why or f"{column} in range")]


def matches(column: str, regex: str, why: str) -> list[Check]:
    return [_regex(column, regex, why)]


def in_order(earlier: str, later: str) -> list[Check]:
    """``earlier`` is never after ``later`` (rows missing either are ignored)."""
    return [
        Check(
            "expect_column_pair_values_a_to_be_greater_than_b",
            {
                "column_A": later,
                "column_B": earlier,
                "or_equal": True,
                "ignore_row_if": "either_value_is_missing",
            },
            f"{earlier} is not after {later}",
        )
    ]


def parameter(name: str) -> dict[str, str]:
    """A suite parameter: the value comes from gx/personagraph_gates.yml or the drift state."""
    return {"$PARAMETER": name}


def _regex(column: str, regex: str, why: str, where: Where | None = None) -> Check:
    if where:
        why = f"{why}, where {where[0]} in ({', '.join(where[1])})"
    return Check(
        "expect_column_values_to_match_regex", {"column": column, "regex": regex}, why, where
    )


@dataclass(frozen=True)
class StagedTable:
    """A raw table's staging models and what their columns must look like."""

    raw_table: str
    model: str  # stg_<source>__<table>; the base model is base_<source>__<table>
    key: tuple[str, ...]
    email_columns: tuple[str, ...] = ()
    phone_columns: tuple[str, ...] = ()
    extra: tuple[Check, ...] = ()

    @property
    def base_model(self) -> str:
        return "base_" + self.model.removeprefix("stg_")


def _subject_formats() -> tuple[Check, ...]:
    return (
        *emails("subject_value", where=when("subject_type", "email")),
        *phones("subject_value", where=when("subject_type", "phone")),
        *one_of("subject_type", SUBJECT_TYPES),
    )


STAGED_TABLES = (
    StagedTable(
        "web_events",
        "stg_web__events",
        ("event_id",),
        email_columns=("email",),
        extra=(
            *not_null("event_at"),
            *one_of(
                "event_type",
                [
                    "page_view",
                    "product_view",
                    "add_to_cart",
                    "checkout",
                    "form_submit",
                    "login",
                    "email_click",
                ],
            ),
            *one_of("device_type", ["desktop", "mobile", "tablet"]),
        ),
    ),
    StagedTable(
        "app_events",
        "stg_app__events",
        ("event_id",),
        extra=(
            *not_null("event_at"),
            *one_of(
                "event_type",
                ["app_open", "product_view", "add_to_cart", "checkout", "login", "push_open"],
            ),
            *one_of("platform", ["ios", "android"]),
        ),
    ),
    StagedTable(
        "shop_customers",
        "stg_shop__customers",
        ("customer_id", "version_number"),
        email_columns=("email",),
        phone_columns=("phone",),
        extra=(*not_null("is_current_version"), *in_order("created_at", "updated_at")),
    ),
    StagedTable(
        "shop_orders",
        "stg_shop__orders",
        ("order_id",),
        email_columns=("email",),
        phone_columns=("phone",),
        extra=(
            *not_null("ordered_at"),
            *one_of("channel", ["web", "app", "store"]),
            *one_of("status", ["paid", "refunded", "cancelled"]),
            *matches("currency", CURRENCY_REGEX, "currency is an ISO 4217 code"),
            *matches("ship_country", COUNTRY_REGEX, "country is ISO 3166 alpha-2"),
            *between("total_amount", 0, why="amounts are not negative"),
            *between("discount_amount", 0, why="amounts are not negative"),
        ),
    ),
    StagedTable(
        "order_lines",
        "stg_shop__order_lines",
        ("order_id", "line_number"),
        extra=(
            *between("quantity", 1, why="a line orders at least one item"),
            *between("unit_price", 0, why="prices are not negative"),
        ),
    ),
    StagedTable(
        "products",
        "stg_shop__products",
        ("product_id",),
        extra=tuple(between("price", 0, why="prices are not negative")),
    ),
    StagedTable("esp_contacts", "stg_esp__contacts", ("esp_record_id",), email_columns=("email",)),
    StagedTable(
        "esp_events",
        "stg_esp__events",
        ("esp_event_key",),
        extra=(
            *not_null("esp_record_id", "event_at"),
            *one_of("event_type", ["send", "open", "click", "bounce", "unsubscribe"]),
        ),
    ),
    StagedTable(
        "crm_contacts",
        "stg_crm__contacts",
        ("contact_id", "version_number"),
        email_columns=("email", "personal_email"),
        phone_columns=("phone",),
        extra=(
            *not_null("is_current_version"),
            *matches("country", COUNTRY_REGEX, "country is ISO 3166 alpha-2"),
        ),
    ),
    StagedTable(
        "support_tickets",
        "stg_support__tickets",
        ("ticket_id",),
        email_columns=("email",),
        phone_columns=("phone",),
        extra=(
            *one_of("channel", ["phone", "email", "chat"]),
            *between("satisfaction_score", 1, 5, why="satisfaction is scored 1 to 5"),
        ),
    ),
    StagedTable(
        "loyalty_members",
        "stg_loyalty__members",
        ("loyalty_id",),
        email_columns=("email",),
        phone_columns=("phone",),
        extra=tuple(between("points_balance", 0, why="points are not negative")),
    ),
    StagedTable(
        "enrichment_profiles",
        "stg_enrichment__profiles",
        ("enrichment_profile_key",),
        email_columns=("email",),
        extra=tuple(not_null("email")),
    ),
    StagedTable(
        "consent_events",
        "stg_privacy__consent_events",
        ("consent_event_key",),
        extra=(
            *_subject_formats(),
            *not_null("recorded_at"),
            *one_of("purpose", CONSENT_PURPOSES),
            *one_of("status", ["granted", "withdrawn"]),
        ),
    ),
    StagedTable(
        "privacy_requests",
        "stg_privacy__requests",
        ("request_id",),
        extra=(*_subject_formats(), *one_of("request_type", ["erasure", "access"])),
    ),
)


def staging_specs() -> list[TableSpec]:
    """Per raw table: the stg_ view (usable rows), the typed rows (every raw row, so formats
    hold for quarantined rows too) and the base_ decisions (one per distinct raw row)."""
    specs = []
    for staged in STAGED_TABLES:
        formats = (*emails(*staged.email_columns), *phones(*staged.phone_columns))
        specs.append(
            TableSpec(
                f"staging.{staged.model}",
                "staging",
                (*keyed(*staged.key), *formats, *staged.extra),
                key_columns=staged.key,
            )
        )
        specs.append(
            TableSpec(
                f"staging.{staged.base_model}_typed",
                "staging",
                (*keyed("source_row_number"), *not_null("raw_row_hash"), *formats),
                key_columns=("source_row_number", *staged.key),
            )
        )
        specs.append(
            TableSpec(
                f"staging.{staged.base_model}",
                "staging",
                (
                    *keyed("source_row_number"),
                    *between("copy_count", 1, why="every kept row stands for at least one raw row"),
                ),
                key_columns=("source_row_number",),
            )
        )
    return specs


def quarantine_specs() -> list[TableSpec]:
    """The reconciliation ledger and every quarantine table."""
    specs = [
        TableSpec(
            "quarantine.raw_reconciliation",
            "quarantine",
            (
                *keyed("source_table"),
                *one_of("source_table", RAW_TABLES, "every raw table of the contract, no other"),
                *one_of("load_status", ["loaded", "missing", "empty_file"]),
                *all_true("is_balanced", "raw = used + quarantined + duplicates removed"),
                *between(
                    "unexplained_rows",
                    0,
                    0,
                    why="recomputed: raw - used - quarantined - duplicates removed = 0",
                ),
            ),
            key_columns=("source_table",),
            load=_load_reconciliation,
        ),
        TableSpec(
            "gates.reconciliation_vs_tables",
            "quarantine",
            (
                *between(
                    "used_rows_not_staged",
                    0,
                    0,
                    why="the ledger's used rows are the rows of the stg_ view",
                ),
                *between(
                    "quarantined_rows_not_in_table",
                    0,
                    0,
                    why="the ledger's quarantined rows are the rows of the quarantine table",
                ),
            ),
            key_columns=("source_table",),
            source="quarantine.raw_reconciliation vs staging and quarantine tables",
            load=_load_reconciliation_vs_tables,
        ),
    ]
    for raw_table in RAW_TABLES:
        specs.append(
            TableSpec(
                f"quarantine.{raw_table}_quarantine",
                "quarantine",
                (
                    *not_null("quarantine_rule"),
                    *one_of("source_table", [raw_table], "rows of this raw table only"),
                ),
                key_columns=("source_row_number", "file_line_number"),
            )
        )
    return specs


def identity_specs() -> list[TableSpec]:
    """Intermediate identity outputs."""
    return [
        TableSpec(
            "identity.int_identity_clusters",
            "identity",
            (
                *keyed("node_id"),
                *person_ids(),
                *one_of("identifier_type", IDENTIFIER_TYPES),
                *between("cluster_size", 1, why="a cluster holds at least its own node"),
                *emails("identifier_value", where=when("identifier_type", "email")),
                *phones("identifier_value", where=when("identifier_type", "phone")),
            ),
            key_columns=("person_id", "identifier_type"),
        ),
        TableSpec(
            "identity.int_identity_record_persons",
            "identity",
            (
                *keyed("source_table", "source_record_id"),
                *person_ids(),
                *one_of("source_table", RECORD_TABLES, "tables that carry a record id"),
            ),
            key_columns=("source_table", "source_record_id"),
        ),
        TableSpec(
            "identity.int_identity_edges",
            "identity",
            (
                *not_null("src_id", "dst_id", "edge_rule"),
                *one_of("edge_strength", ["strong", "weak"]),
                *in_order("first_seen_at", "last_seen_at"),
            ),
            key_columns=("edge_rule", "evidence_record"),
        ),
        TableSpec(
            "identity.int_identity_guard_log",
            "identity",
            (
                *not_null("guard"),
                *masked(
                    "identifier_value_masked",
                    where=when("identifier_type", "email", "phone"),
                ),
                *between("affected_count", 1, why="a guard that fired affected something"),
            ),
            key_columns=("guard", "identifier_type"),
        ),
    ]


def marts_specs() -> list[TableSpec]:
    """The contract's outputs, and those that later parts of the project will add."""
    return [
        TableSpec(
            "marts.person_source_records",
            "marts",
            (
                *person_ids(),
                *keyed("source_table", "source_record_id"),
                *one_of("source_table", RECORD_TABLES, "the contract's record tables only"),
                *one_of(
                    "assignment_rule",
                    ["known_identifier", "device", "weak_known_identifier", "no_identifier"],
                ),
                *in_order("first_recorded_at", "last_recorded_at"),
            ),
            key_columns=("source_table", "source_record_id"),
        ),
        TableSpec(
            "marts.person_identifiers",
            "marts",
            (
                *person_ids(),
                *keyed("identifier_type", "identifier_value"),
                *one_of("identifier_type", IDENTIFIER_TYPES),
                *one_of("link_strength", ["anchor", "strong", "weak", "probabilistic", "none"]),
                *emails("identifier_value", where=when("identifier_type", "email")),
                *phones("identifier_value", where=when("identifier_type", "phone")),
                *in_order("first_seen_at", "last_seen_at"),
            ),
            key_columns=("person_id", "identifier_type"),
        ),
        TableSpec(
            "marts.identity_explanations",
            "marts",
            (
                *person_ids(),
                *between("depth", 0, why="depth below the anchor"),
                *one_of("edge_strength", ["anchor", "strong", "weak", "probabilistic", "none"]),
            ),
            key_columns=("person_id", "identifier_type"),
        ),
        TableSpec(
            "marts.person_id_changes",
            "marts",
            (
                *not_null("build_sequence", "identifier_type"),
                *person_ids(nullable=True),
                *person_ids("previous_person_id", nullable=True),
                *matches("identifier_hash", MD5_HEX_REGEX, "identifiers are logged as md5 hex"),
                *one_of("change_kind", ["appeared", "moved", "removed"]),
            ),
            key_columns=("build_sequence", "identifier_type"),
        ),
        TableSpec(
            "marts.person_id_merges_and_splits",
            "marts",
            (
                *person_ids(nullable=True),
                *person_ids("previous_person_id", nullable=True),
                *one_of("change_kind", ["merge", "split", "rename"]),
            ),
            key_columns=("build_sequence",),
        ),
        TableSpec(
            "marts.dim_persons",
            "marts",
            (*keyed("person_id"), *person_ids(nullable=True)),
            key_columns=("person_id",),
            planned="the golden record mart (contract: one row per person_id) is not built yet",
        ),
    ]


def gate_specs() -> list[TableSpec]:
    """Gates on figures derived from the marts: sizes, drift, activation."""
    return [
        TableSpec(
            "gates.person_sizes",
            "marts",
            (
                Check(
                    "expect_column_max_to_be_between",
                    {"column": "record_count", "max_value": parameter("max_records_per_person")},
                    "the largest person stays under the configured size",
                ),
                Check(
                    "expect_column_mean_to_be_between",
                    {
                        "column": "is_single_record",
                        "min_value": parameter("single_record_share_min"),
                        "max_value": parameter("single_record_share_max"),
                    },
                    "share of persons with a single record inside the configured bounds",
                ),
            ),
            key_columns=("person_id",),
            source="marts.person_source_records (records per person_id)",
            load=_load_person_sizes,
        ),
        TableSpec(
            "gates.build_drift",
            "marts",
            (
                *between(
                    "person_count",
                    parameter("person_count_min"),
                    parameter("person_count_max"),
                    "person count within the tolerance of the previous validated build",
                ),
                *between(
                    "match_rate",
                    parameter("match_rate_min"),
                    parameter("match_rate_max"),
                    "match rate within the tolerance of the previous validated build",
                ),
            ),
            source="marts.person_source_records (person count, match rate)",
            load=_load_build_figures,
        ),
        TableSpec(
            "gates.hashed_identifiers",
            "activation",
            tuple(hashed_identifiers("hashed_value")),
            key_columns=("table_name", "column_name"),
            source="hashed identifier columns of the activation marts",
            load=_load_hashed_identifiers,
        ),
        TableSpec(
            "gates.audience_consent",
            "activation",
            tuple(all_true("has_consent", "no audience member lacks consent for the purpose")),
            key_columns=("audience_table",),
            source="audience tables of the activation marts",
            load=_load_audience_consent,
        ),
    ]


def table_specs() -> list[TableSpec]:
    """Every gate, staging first, then identity, quarantine, marts and derived gates."""
    return [
        *staging_specs(),
        *identity_specs(),
        *quarantine_specs(),
        *marts_specs(),
        *gate_specs(),
    ]


# ---------------------------------------------------------------------------------------
# Frames: tables read from DuckDB into pandas


def relation_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    schema, table = name.split(".", 1)
    found = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(found and found[0])


def read_table(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    schema, table = name.split(".", 1)
    return con.execute(f'select * from "{schema}"."{table}"').df()


def _load_reconciliation(con: duckdb.DuckDBPyConnection, gates: Gates):
    if not relation_exists(con, "quarantine.raw_reconciliation"):
        return None, "quarantine.raw_reconciliation is absent"
    frame = con.execute(
        """
        select *,
            cast(raw_rows - used_rows - quarantined_rows - exact_copies_removed as bigint)
                as unexplained_rows
        from quarantine.raw_reconciliation
        """
    ).df()
    return frame, ""


def _load_reconciliation_vs_tables(con: duckdb.DuckDBPyConnection, gates: Gates):
    if not relation_exists(con, "quarantine.raw_reconciliation"):
        return None, "quarantine.raw_reconciliation is absent"
    parts, missing = [], []
    for staged in STAGED_TABLES:
        view = f"staging.{staged.model}"
        quarantine = f"quarantine.{staged.raw_table}_quarantine"
        absent = [name for name in (view, quarantine) if not relation_exists(con, name)]
        if absent:
            missing += absent
            continue
        parts.append(
            f"select '{staged.raw_table}' as source_table,"
            f" (select count(*) from {view}) as staged_rows,"
            f" (select count(*) from {quarantine}) as quarantine_table_rows"
        )
    if not parts:
        return None, "no staging view or quarantine table to compare with"
    frame = con.execute(
        f"""
        with tables as ({" union all ".join(parts)})
        select ledger.source_table, ledger.used_rows, tables.staged_rows,
            ledger.used_rows - tables.staged_rows as used_rows_not_staged,
            ledger.quarantined_rows, tables.quarantine_table_rows,
            ledger.quarantined_rows - tables.quarantine_table_rows
                as quarantined_rows_not_in_table
        from quarantine.raw_reconciliation as ledger
        inner join tables using (source_table)
        order by ledger.source_table
        """
    ).df()
    note = f"not compared (absent): {', '.join(missing)}" if missing else ""
    return frame, note


def _load_person_sizes(con: duckdb.DuckDBPyConnection, gates: Gates):
    if not relation_exists(con, "marts.person_source_records"):
        return None, "marts.person_source_records is absent"
    frame = con.execute(
        """
        select person_id, count(*) as record_count,
            case when count(*) = 1 then 1 else 0 end as is_single_record
        from marts.person_source_records
        group by person_id
        order by record_count desc, person_id
        """
    ).df()
    return frame, ""


def build_figures_sql() -> str:
    """Person count, record count and match rate of a build (one row)."""
    rules = ", ".join(f"'{rule}'" for rule in MATCHED_RULES)
    return f"""
        select count(distinct person_id) as person_count,
            count(*) as record_count,
            coalesce(avg(case when assignment_rule in ({rules}) then 1.0 else 0.0 end), 0)
                as match_rate
        from marts.person_source_records
    """


def _load_build_figures(con: duckdb.DuckDBPyConnection, gates: Gates):
    if not relation_exists(con, "marts.person_source_records"):
        return None, "marts.person_source_records is absent"
    return con.execute(build_figures_sql()).df(), ""


def _activation_columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return con.execute(
        """
        select table_schema, table_name, column_name from information_schema.columns
        where table_schema in ('marts', 'activation')
        order by table_schema, table_name, ordinal_position
        """
    ).fetchall()


def _load_hashed_identifiers(con: duckdb.DuckDBPyConnection, gates: Gates):
    found = [
        (schema, table, column)
        for schema, table, column in _activation_columns(con)
        if column.endswith(tuple(gates.hashed_identifier_suffixes))
    ]
    if not found:
        suffixes = ", ".join(gates.hashed_identifier_suffixes)
        return None, (
            f"no column ending in {suffixes} in schema marts or activation yet (the activation"
            " marts are not built): the 64-hex check is added when they appear"
        )
    union = " union all ".join(
        f"select '{schema}.{table}' as table_name, '{column}' as column_name,"
        f' cast("{column}" as varchar) as hashed_value from "{schema}"."{table}"'
        for schema, table, column in found
    )
    return con.execute(union).df(), ""


def _load_audience_consent(con: duckdb.DuckDBPyConnection, gates: Gates):
    tables: dict[str, set[str]] = {}
    for schema, table, column in _activation_columns(con):
        if table.startswith(gates.audience_table_prefix):
            tables.setdefault(f"{schema}.{table}", set()).add(column)
    if not tables:
        return None, (
            f"no table named {gates.audience_table_prefix}* in schema marts or activation yet:"
            " the consent check is added when audiences appear"
        )
    parts = []
    for name, columns in sorted(tables.items()):
        schema, table = name.split(".", 1)
        consent = (
            f'"{gates.consent_column}"'
            if gates.consent_column in columns
            else "cast(null as boolean)"
        )
        parts.append(
            f"select '{name}' as audience_table, {consent} as has_consent"
            f' from "{schema}"."{table}"'
        )
    return con.execute(" union all ".join(parts)).df(), ""


def load_frame(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, gates: Gates
) -> tuple[pd.DataFrame | None, str]:
    """The frame a spec validates, or None and why it is skipped."""
    if spec.load is not None:
        return spec.load(con, gates)
    if not relation_exists(con, spec.name):
        if spec.planned:
            return None, f"{spec.name} is absent: {spec.planned}; its gates wait for it"
        return None, f"{spec.name} is absent"
    return read_table(con, spec.name), ""


# ---------------------------------------------------------------------------------------
# Masking: no personal value leaves this module unmasked


def looks_personal(value: Any) -> bool:
    """An email- or phone-shaped value, whatever column it came from."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    if "@" in text:
        return True
    return bool(PHONE_LIKE.match(text)) and not ISO_DATE_LIKE.match(text)


def sensitive_columns(manifest_path: Path = MANIFEST_PATH) -> dict[str, set[str]]:
    """Columns marked ``meta: {sensitive: true}`` per 'schema.model', from dbt's manifest."""
    if not manifest_path.exists():
        return {}
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found: dict[str, set[str]] = {}
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") not in ("model", "seed", "snapshot"):
            continue
        name = f"{node.get('schema')}.{node.get('alias') or node.get('name')}"
        for column, info in (node.get("columns") or {}).items():
            meta = {**(info.get("meta") or {}), **((info.get("config") or {}).get("meta") or {})}
            if meta.get("sensitive"):
                found.setdefault(name, set()).add(column)
    return found


@dataclass
class Masker:
    """Decides which values are personal: dbt's ``sensitive`` meta, else column names, and
    any email- or phone-shaped value."""

    sensitive: dict[str, set[str]] = field(default_factory=dict)

    def is_sensitive(self, table: str, column: str | None) -> bool:
        if not column:
            return False
        return column in self.sensitive.get(table, set()) or bool(SENSITIVE_NAME.search(column))

    def value(self, value: Any, sensitive: bool) -> Any:
        """The value as it may be shown."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return value
        if isinstance(value, dict):
            return {key: self.value(item, sensitive) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.value(item, sensitive) for item in value]
        if isinstance(value, bool):
            return value
        if sensitive or looks_personal(value):
            return mask_value(value)
        return value

    def column_value(self, table: str, column: str, value: Any) -> Any:
        return self.value(value, self.is_sensitive(table, column))

    def result(self, table: str, check_columns: tuple[str, ...], result: dict[str, Any]) -> None:
        """Mask, in place, the values a GX expectation result shows."""
        sensitive = any(self.is_sensitive(table, column) for column in check_columns)
        for key in ("partial_unexpected_list", "unexpected_list", "details"):
            if key in result:
                result[key] = self.value(result[key], sensitive)
        for key in ("partial_unexpected_counts", "unexpected_counts"):
            for entry in result.get(key) or []:
                entry["value"] = self.value(entry.get("value"), sensitive)
        for key in ("partial_unexpected_index_list", "unexpected_index_list"):
            entries = result.get(key) or []
            result[key] = [
                {name: self.column_value(table, name, item) for name, item in entry.items()}
                if isinstance(entry, dict)
                else entry
                for entry in entries
            ]
        if "observed_value" in result:
            result["observed_value"] = self.value(result["observed_value"], sensitive)
        result.pop("unexpected_index_query", None)


# ---------------------------------------------------------------------------------------
# The GX project: kept in step with the definitions above


def _gx():
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    import great_expectations as gx

    return gx


def open_context(gx_dir: Path = GX_DIR):
    """The file-based GX context in ``gx_dir`` with usage statistics off."""
    gx = _gx()
    context = gx.get_context(context_root_dir=str(gx_dir))
    if context.config.analytics_enabled is not False:
        context.enable_analytics(False)
    return context


def _expectation(gx, check: Check):
    from great_expectations.expectations.row_conditions import Column

    class_name = "".join(part.capitalize() for part in check.expectation.split("_"))
    expectation_class = getattr(gx.expectations, class_name)
    kwargs = dict(check.kwargs)
    if check.where:
        column, values = check.where
        kwargs["row_condition"] = (
            Column(column) == values[0] if len(values) == 1 else Column(column).is_in(values)
        )
    return expectation_class(**kwargs, description=check.description)


def _comparable(expectations) -> list[str]:
    comparable = []
    for expectation in expectations:
        config = expectation.configuration.to_json_dict()
        config.pop("id", None)
        comparable.append(json.dumps(config, sort_keys=True, default=str))
    return comparable


def sync_project(context, specs: list[TableSpec]) -> tuple[Any, list[str]]:
    """Data source, assets, batch definitions, suites, validation definitions and the
    checkpoint for ``specs``; writes to gx/ only what differs. Returns the checkpoint and
    what was written."""
    gx = _gx()
    written: list[str] = []
    try:
        datasource = context.data_sources.get(DATASOURCE)
    except KeyError:
        datasource = context.data_sources.add_pandas(DATASOURCE)
        written.append(f"data source {DATASOURCE}")
    asset_names = {asset.name for asset in datasource.assets}
    stored_suites = {suite.name: suite for suite in context.suites.all()}
    stored_definitions = {vd.name: vd for vd in context.validation_definitions.all()}
    definitions = []
    for spec in specs:
        if spec.name in asset_names:
            asset = datasource.get_asset(spec.name)
        else:
            asset = datasource.add_dataframe_asset(spec.name)
            written.append(f"asset {spec.name}")
        try:
            batch_definition = asset.get_batch_definition(BATCH_DEFINITION)
        except KeyError:
            batch_definition = asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION)
        wanted = [_expectation(gx, check) for check in spec.checks]
        suite = stored_suites.get(spec.name)
        if suite is None:
            suite = context.suites.add(gx.ExpectationSuite(name=spec.name, expectations=wanted))
            written.append(f"suite {spec.name}")
        elif _comparable(suite.expectations) != _comparable(wanted):
            # Unchanged expectations keep their ids: git diff gx/ shows only what changed.
            stored = dict(zip(_comparable(suite.expectations), suite.expectations, strict=True))
            suite.expectations = [
                stored.pop(comparable, expectation)
                for expectation, comparable in zip(wanted, _comparable(wanted), strict=True)
            ]
            suite.save()
            suite = context.suites.get(spec.name)
            written.append(f"suite {spec.name}")
        definition = stored_definitions.get(spec.name)
        if (
            definition is None
            or definition.suite.id != suite.id
            or definition.data.id != batch_definition.id
        ):
            definition = context.validation_definitions.add_or_update(
                gx.ValidationDefinition(name=spec.name, data=batch_definition, suite=suite)
            )
            written.append(f"validation definition {spec.name}")
        elif written and written[-1] == f"suite {spec.name}":
            # The stored definition points at the updated suite: load it afresh.
            definition = context.validation_definitions.get(spec.name)
        definitions.append(definition)
    wanted_names = {spec.name for spec in specs}
    for name in sorted(set(stored_definitions) - wanted_names):
        context.validation_definitions.delete(name)
        written.append(f"removed validation definition {name}")
    for name in sorted(set(stored_suites) - wanted_names):
        context.suites.delete(name)
        written.append(f"removed suite {name}")
    for name in sorted(asset_names - wanted_names):
        datasource.delete_asset(name)
        written.append(f"removed asset {name}")
    checkpoint = _sync_checkpoint(gx, context, definitions, written)
    return checkpoint, written


def _sync_checkpoint(gx, context, definitions: list, written: list[str]):
    try:
        checkpoint = context.checkpoints.get(CHECKPOINT)
    except gx.exceptions.DataContextError:  # not stored yet
        checkpoint = None
    if (
        checkpoint is not None
        and [(vd.name, vd.id) for vd in checkpoint.validation_definitions]
        == [(vd.name, vd.id) for vd in definitions]
        and checkpoint.result_format == RESULT_FORMAT
        and len(checkpoint.actions) == 1
    ):
        return checkpoint
    written.append(f"checkpoint {CHECKPOINT}")
    return context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=CHECKPOINT,
            validation_definitions=definitions,
            actions=[
                gx.checkpoint.UpdateDataDocsAction(
                    name="update_data_docs", site_names=[DATA_DOCS_SITE]
                )
            ],
            result_format=RESULT_FORMAT,
        )
    )


# ---------------------------------------------------------------------------------------
# Drift state: figures of the previous validated build


def default_state_path(db_path: Path) -> Path:
    """Beside the database: one baseline per database file."""
    return db_path.with_name(db_path.name + ".last_validated.json")


def read_state(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def drift_parameters(previous: dict[str, Any] | None, tolerance: float) -> dict[str, float]:
    """Bounds for person count and match rate: the previous figure +/- the tolerance, or
    no bound at all on a first run."""
    if not previous:
        return {
            "person_count_min": 0,
            "person_count_max": 10**15,
            "match_rate_min": 0.0,
            "match_rate_max": 1.0,
        }
    persons = float(previous["person_count"])
    rate = float(previous["match_rate"])
    return {
        "person_count_min": math.floor(persons * (1 - tolerance)),
        "person_count_max": math.ceil(persons * (1 + tolerance)),
        "match_rate_min": round(rate * (1 - tolerance), 6),
        "match_rate_max": min(1.0, round(rate * (1 + tolerance), 6)),
    }


# ---------------------------------------------------------------------------------------
# Running and reporting


@dataclass
class ExpectationRow:
    """One expectation's outcome, as printed and reported (values already masked)."""

    table: str
    suite: str
    expectation: str
    columns: str
    description: str
    success: bool
    observed: str
    sample: list[str]
    expected: str = ""
    error: str = ""

    @property
    def label(self) -> str:
        return f"{self.expectation}({self.columns})" if self.columns else self.expectation


@dataclass
class Outcome:
    """Everything a validation run found."""

    success: bool
    database: str
    rows: list[ExpectationRow]
    notes: list[str]
    figures: dict[str, Any]
    baseline: dict[str, Any] | None
    parameters: dict[str, Any]
    seconds: float
    tables_validated: int
    report_path: Path | None = None
    results_path: Path | None = None
    data_docs_path: Path | None = None
    gx_written: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[ExpectationRow]:
        return [row for row in self.rows if not row.success]

    def render(self) -> str:
        """The text the command prints."""
        failed = self.failures
        lines = [
            f"validated {len(self.rows)} expectations on {self.tables_validated} tables of"
            f" {self.database} in {self.seconds:.1f} s: "
            + ("all passed" if not failed else f"{len(failed)} FAILED"),
        ]
        for row in failed:
            lines.append(f"  FAILED {row.table}: {row.label}")
            lines.append(f"         {row.description}")
            if row.expected:
                lines.append(f"         expected: {row.expected}")
            lines.append(f"         observed: {row.observed}")
            if row.error:
                lines.append(f"         error: {row.error}")
            if row.sample:
                lines.append("         sample (personal values masked): " + "; ".join(row.sample))
        if self.figures:
            figures = ", ".join(f"{key} {_format(value)}" for key, value in self.figures.items())
            lines.append(f"build figures: {figures}")
        if self.baseline:
            lines.append(
                f"drift compared with the build validated at {self.baseline.get('validated_at')}:"
                f" person count {_format(self.baseline.get('person_count'))},"
                f" match rate {_format(self.baseline.get('match_rate'))}"
            )
        for note in self.notes:
            lines.append(f"note: {note}")
        for label, path in (
            ("report", self.report_path),
            ("results", self.results_path),
            ("GX Data Docs", self.data_docs_path),
        ):
            if path:
                lines.append(f"{label}: {path}")
        return "\n".join(lines)


def _format(value: Any) -> str:
    if isinstance(value, float):
        if value.is_integer():
            return f"{int(value):,}"
        return f"{value:.4f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _shown(value: Any) -> str:
    """A sample value: numbers as numbers, missing as null."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return "null"
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    return (
        _format(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool)
        else str(value)
    )


def _expected(kwargs: dict[str, Any]) -> str:
    """The arguments that say what was expected, parameters resolved."""
    shown = []
    for key in ("regex", "value_set", "min_value", "max_value"):
        if key in kwargs and kwargs[key] is not None:
            value = kwargs[key]
            if isinstance(value, (list, tuple, set)):
                items = [str(item) for item in value]
                value = "{" + ", ".join(items[:10]) + (", ..." if len(items) > 10 else "") + "}"
            shown.append(f"{key.removesuffix('_value')} {_shown(value)}")
    return ", ".join(shown)


def _observed(result: dict[str, Any]) -> str:
    if "observed_value" in result:
        return _shown(result["observed_value"])
    if "unexpected_count" in result:
        count = result.get("unexpected_count") or 0
        total = result.get("element_count") or 0
        percent = result.get("unexpected_percent") or 0.0
        return f"{count:,} of {total:,} values unexpected ({percent:.2f}%)"
    return ""


def _sample(
    spec: TableSpec,
    check: Check,
    result: dict[str, Any],
    frame: pd.DataFrame,
    masker: Masker,
) -> list[str]:
    """A few failing values with their row keys, masked."""
    table = spec.name
    keys = [key for key in spec.key_columns if key in frame.columns and key not in check.columns]
    sample: list[str] = []
    indexes = result.get("partial_unexpected_index_list") or []
    values = result.get("partial_unexpected_list") or []
    if indexes and all(isinstance(index, int) for index in indexes):
        for index in indexes[:SAMPLE_SIZE]:
            if index not in frame.index:
                continue
            columns = [*keys, *(column for column in check.columns if column in frame.columns)]
            parts = [
                f"{column}={_shown(masker.column_value(table, column, frame.at[index, column]))}"
                for column in columns
            ]
            sample.append(" ".join(parts))
        return sample
    if values:
        return [str(value) for value in values[:SAMPLE_SIZE]]  # masked already
    column = check.kwargs.get("column")
    if check.expectation == "expect_column_max_to_be_between" and column in frame.columns:
        top = frame.nlargest(SAMPLE_SIZE, column)
        for _, row in top.iterrows():
            parts = [f"{key}={masker.column_value(table, key, row[key])}" for key in keys]
            sample.append(" ".join([*parts, f"{column}={_format(row[column])}"]))
    return sample


def validate(
    db_path: Path,
    report_dir: Path = DEFAULT_REPORT_DIR,
    *,
    gx_dir: Path = GX_DIR,
    state_path: Path | None = None,
    data_docs: bool = True,
    record_baseline: bool = True,
    reset_baseline: bool = False,
    baseline_label: str | None = None,
    tables: Iterable[str] | None = None,
) -> Outcome:
    """Validate the database at ``db_path``; write the reports; return what was found.

    Drift is measured against the figures of the previous build of this database that
    passed (``state_path``, beside the database by default). ``reset_baseline`` skips that
    comparison; a ``baseline_label`` (the demo passes its generator settings) skips it too
    when the previous build was made from other input. ``record_baseline`` False leaves
    the state untouched. ``tables`` runs only the validation definitions of those names
    (the gx/ project is still kept in step with every definition).
    """
    started = time.perf_counter()
    db_path = Path(db_path).resolve()
    if not db_path.exists():
        raise FileNotFoundError(f"no database at {db_path}: run `personagraph build` first")
    gates = load_gates(gx_dir / GATES_FILE_NAME)
    specs = table_specs()
    selected = set(tables) if tables is not None else {spec.name for spec in specs}
    unknown = selected - {spec.name for spec in specs}
    if unknown:
        raise ValueError(f"no gates defined for {', '.join(sorted(unknown))}")
    state_path = state_path or default_state_path(db_path)
    baseline = None if reset_baseline else read_state(state_path)
    notes: list[str] = []
    if baseline and baseline_label and baseline.get("label") != baseline_label:
        notes.append(
            f"the previous validated build came from other input ({baseline.get('label')}):"
            " drift not checked"
        )
        baseline = None
    elif baseline is None:
        notes.append(
            "no previous validated build for this database"
            + (" (or --reset-baseline)" if reset_baseline else "")
            + ": drift not checked; this build's figures become the baseline if it passes"
        )
    parameters: dict[str, Any] = {
        "max_records_per_person": gates.max_records_per_person,
        "single_record_share_min": gates.single_record_share_min,
        "single_record_share_max": gates.single_record_share_max,
        **drift_parameters(baseline, gates.drift_tolerance),
    }
    masker = Masker(sensitive_columns())

    context = open_context(gx_dir)
    checkpoint, written = sync_project(context, specs)
    if written:
        more = ", ..." if len(written) > 6 else ""
        notes.append(f"gx/ updated: {len(written)} item(s) ({', '.join(written[:6])}{more})")
    by_name = {spec.name: spec for spec in specs}

    gx = _gx()
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    run_id = RunIdentifier(run_name=CHECKPOINT, run_time=dt.datetime.now(dt.UTC))
    run_results: dict[Any, Any] = {}
    rows: list[ExpectationRow] = []
    figures: dict[str, Any] = {}
    validated = 0
    with duckdb.connect(str(db_path), read_only=True) as con:
        for definition in checkpoint.validation_definitions:
            if definition.name not in selected:
                continue
            spec = by_name[definition.name]
            try:
                frame, note = load_frame(con, spec, gates)
            except duckdb.Error as error:
                rows.append(_unreadable(spec, error))
                continue
            if note:
                notes.append(f"{spec.name}: {note}")
            if frame is None:
                continue
            validated += 1
            if spec.name == "gates.build_drift" and len(frame):
                figures = {
                    "person_count": int(frame["person_count"].iloc[0]),
                    "record_count": int(frame["record_count"].iloc[0]),
                    "match_rate": round(float(frame["match_rate"].iloc[0]), 6),
                }
            result = definition.run(
                checkpoint_id=checkpoint.id,
                batch_parameters={"dataframe": frame},
                expectation_parameters=parameters,
                result_format=checkpoint.result_format,
                run_id=run_id,
            )
            # GX may order results differently from the suite: match them by expectation id.
            check_by_id = dict(
                zip(
                    (expectation.id for expectation in definition.suite.expectations),
                    spec.checks,
                    strict=True,
                )
            )
            for expectation_result in result.results:
                check = check_by_id[expectation_result.expectation_config.id]
                masker.result(spec.name, check.columns, expectation_result.result)
                rows.append(_row(spec, check, expectation_result, frame, masker))
            key = ValidationResultIdentifier(
                expectation_suite_identifier=ExpectationSuiteIdentifier(name=definition.suite.name),
                run_id=run_id,
                batch_identifier=result.batch_id,
            )
            # Replaces the unmasked copy that the validation definition stored in memory.
            context.validation_results_store.set(key, result)
            run_results[key] = result
            del frame

    success = all(row.success for row in rows)
    data_docs_path = None
    if data_docs and run_results:
        data_docs_path = _build_data_docs(gx, context, checkpoint)
    outcome = Outcome(
        success=success,
        database=str(db_path),
        rows=rows,
        notes=notes,
        figures=figures,
        baseline=baseline,
        parameters=parameters,
        seconds=0.0,
        tables_validated=validated,
        data_docs_path=data_docs_path,
        gx_written=written,
    )
    if success and record_baseline and figures:
        state = {
            "validated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": str(db_path),
            "label": baseline_label,
            **figures,
        }
        state_path.parent.mkdir(parents=True, exist_ok=True)
        state_path.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
        notes.append(f"baseline for drift recorded in {state_path}")
    outcome.seconds = time.perf_counter() - started
    write_reports(outcome, Path(report_dir), [r.to_json_dict() for r in run_results.values()])
    return outcome


def _unreadable(spec: TableSpec, error: Exception) -> ExpectationRow:
    """A table that exists but cannot be read fails its gates."""
    message = str(error).splitlines()[0]
    return ExpectationRow(
        table=spec.table,
        suite=spec.name,
        expectation="table_is_readable",
        columns="",
        description="the table can be read (a view whose query no longer binds cannot)",
        success=False,
        observed="could not be read",
        sample=[],
        error=" ".join(mask_value(w) if looks_personal(w) else w for w in message.split()),
    )


def _row(spec: TableSpec, check: Check, expectation_result, frame, masker) -> ExpectationRow:
    result = expectation_result.result or {}
    info = expectation_result.exception_info or {}
    error = ""
    if info.get("raised_exception"):
        message = str(info.get("exception_message") or "raised an exception")
        # An exception message may quote a value: keep its first line, masked if personal.
        error = " ".join(
            mask_value(word) if looks_personal(word) else word
            for word in message.splitlines()[0].split()
        )
    return ExpectationRow(
        table=spec.table,
        suite=spec.name,
        expectation=check.expectation,
        columns=", ".join(check.columns),
        description=check.description,
        success=bool(expectation_result.success),
        observed=_observed(result),
        sample=[] if expectation_result.success else _sample(spec, check, result, frame, masker),
        expected=_expected(expectation_result.expectation_config.kwargs),
        error=error,
    )


def _build_data_docs(gx, context, checkpoint) -> Path | None:
    """The checkpoint's Data Docs action, on the masked results of this run.

    GX's UpdateDataDocsAction rebuilds the whole site once per validation result (14 s for
    58 tables here); building the sites it names once, after every result is in the store,
    gives the same pages in under a second.
    """
    site_dir = Path(context.root_directory) / "uncommitted" / "data_docs" / DATA_DOCS_SITE
    # Pages of earlier runs are dropped: the site shows this run only.
    shutil.rmtree(site_dir / "validations", ignore_errors=True)
    for action in checkpoint.actions:
        if isinstance(action, gx.checkpoint.UpdateDataDocsAction):
            context.build_data_docs(site_names=action.site_names or None)
    index = site_dir / "index.html"
    return index if index.exists() else None


# ---------------------------------------------------------------------------------------
# Reports: validation results JSON and a self-contained HTML page

REPORT_CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem;
  color: #1d2430; background: #fafbfc; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.1rem; margin: 2rem 0 .5rem; }
.status { display: inline-block; padding: .2rem .7rem; border-radius: 1rem; color: #fff;
  font-weight: 600; }
.pass { background: #1f7a3a; } .fail { background: #b3261e; }
.summary { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; }
.card { background: #fff; border: 1px solid #d8dee4; border-radius: .5rem;
  padding: .6rem .9rem; min-width: 9rem; }
.card b { display: block; font-size: 1.25rem; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border: 1px solid #d8dee4; padding: .35rem .5rem; text-align: left;
  vertical-align: top; }
th { background: #eef1f4; position: sticky; top: 0; }
tr.failed td { background: #fdecea; }
td.ok { color: #1f7a3a; font-weight: 600; } td.bad { color: #b3261e; font-weight: 600; }
code, .sample { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.muted { color: #59636e; }
ul.notes li { margin: .2rem 0; }
"""


def write_reports(outcome: Outcome, report_dir: Path, gx_results: list[dict]) -> None:
    """index.html and validation_results.json in ``report_dir``."""
    report_dir.mkdir(parents=True, exist_ok=True)
    results_path = report_dir / "validation_results.json"
    report_path = report_dir / "index.html"
    outcome.results_path = results_path
    outcome.report_path = report_path
    payload = {
        "success": outcome.success,
        "database": outcome.database,
        "seconds": round(outcome.seconds, 2),
        "tables_validated": outcome.tables_validated,
        "expectations": len(outcome.rows),
        "failed": len(outcome.failures),
        "figures": outcome.figures,
        "baseline": outcome.baseline,
        "parameters": outcome.parameters,
        "notes": outcome.notes,
        "rows": [asdict(row) for row in outcome.rows],
        "gx_validation_results": gx_results,
    }
    results_path.write_text(json.dumps(payload, indent=1, default=str) + "\n", encoding="utf-8")
    report_path.write_text(render_html(outcome), encoding="utf-8")


def render_html(outcome: Outcome) -> str:
    """The offline report: inline CSS, no script, no external URL."""
    esc = html.escape
    failed = outcome.failures
    cards = [
        ("expectations", f"{len(outcome.rows):,}"),
        ("failed", f"{len(failed):,}"),
        ("tables validated", f"{outcome.tables_validated:,}"),
        ("seconds", f"{outcome.seconds:.1f}"),
    ]
    cards += [(key.replace("_", " "), _format(value)) for key, value in outcome.figures.items()]
    if outcome.baseline:
        cards += [
            ("previous person count", _format(outcome.baseline.get("person_count"))),
            ("previous match rate", _format(outcome.baseline.get("match_rate"))),
        ]

    def table(rows: list[ExpectationRow]) -> str:
        body = []
        for row in rows:
            css = "" if row.success else ' class="failed"'
            status = '<td class="ok">passed</td>' if row.success else '<td class="bad">FAILED</td>'
            observed = esc(row.observed) + (
                f'<br><span class="muted">{esc(row.error)}</span>' if row.error else ""
            )
            sample = "<br>".join(esc(item) for item in row.sample)
            expected = (
                f'<br><span class="muted">expected: {esc(row.expected)}</span>'
                if row.expected
                else ""
            )
            body.append(
                f"<tr{css}><td><code>{esc(row.table)}</code></td>"
                f"<td><code>{esc(row.label)}</code><br>"
                f'<span class="muted">{esc(row.description)}</span>{expected}</td>'
                f"{status}<td>{observed}</td>"
                f'<td class="sample">{sample}</td></tr>'
            )
        return (
            "<table><thead><tr><th>table</th><th>expectation</th><th>success</th>"
            "<th>observed value</th><th>sample of failing values (masked)</th></tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>"
        )

    status = (
        '<span class="status pass">all gates passed</span>'
        if outcome.success
        else f'<span class="status fail">{len(failed)} expectation(s) failed</span>'
    )
    notes = "".join(f"<li>{esc(note)}</li>" for note in outcome.notes)
    parameters = ", ".join(f"{key} = {value}" for key, value in outcome.parameters.items())
    ordered = sorted(outcome.rows, key=lambda row: row.success)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>personagraph quality gates</title>",
        f"<style>{REPORT_CSS}</style></head><body>",
        "<h1>personagraph quality gates</h1>",
        f'<p class="muted">Great Expectations checkpoint <code>{CHECKPOINT}</code> on'
        f" <code>{esc(outcome.database)}</code></p>",
        f"<p>{status}</p>",
        '<div class="summary">'
        + "".join(f'<div class="card"><b>{esc(v)}</b>{esc(k)}</div>' for k, v in cards)
        + "</div>",
    ]
    if failed:
        parts += ["<h2>Failed expectations</h2>", table(failed)]
    parts += [
        "<h2>Notes</h2>",
        f'<ul class="notes">{notes or "<li>none</li>"}</ul>',
        f'<p class="muted">Suite parameters: {esc(parameters)}</p>',
        "<h2>Every expectation</h2>",
        table(ordered),
        '<p class="muted">Personal values (columns marked sensitive in the dbt project,'
        " emails, phones, names) are shown as md5: and the first 16 hex digits of their"
        " md5.</p>",
        "</body></html>",
    ]
    return "\n".join(parts)
