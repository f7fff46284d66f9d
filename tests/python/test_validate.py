"""Great Expectations quality gates (`personagraph validate`) on the shared demo build.

A good build passes every gate; a copy broken on purpose with SQL (a staged email that is
not an email, a phone that is not E.164, an unbalanced reconciliation, one inflated person)
fails naming the table and the expectation, and neither the printed output, the HTML
report, the results JSON nor GX's Data Docs hold a raw personal value.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from personagraph import validate as gates
from personagraph.cli import main
from personagraph.paths import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
BROKEN_EMAIL = "NOT AN EMAIL"


def copy_gx_project(target: Path) -> Path:
    """The committed gx/ project, without its uncommitted folder, in ``target``."""
    shutil.copytree(
        PROJECT_ROOT / "gx", target, ignore=shutil.ignore_patterns("uncommitted", "__pycache__")
    )
    return target


def copy_database(demo, folder: Path) -> Path:
    """The demo database in ``folder`` under the same file name (views name its catalog)."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / demo.db_path.name
    shutil.copy(demo.db_path, copy)
    return copy


@dataclass(frozen=True)
class Run:
    outcome: gates.Outcome | None
    exit_code: int
    output: str
    db_path: Path
    report_dir: Path
    gx_dir: Path
    planted: tuple[str, ...] = ()


@pytest.fixture(scope="module")
def good_run(demo, tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("validate_good")
    gx_dir = copy_gx_project(root / "gx")
    db_path = copy_database(demo, root / "db")
    outcome = gates.validate(db_path, root / "report", gx_dir=gx_dir, data_docs=False)
    return Run(
        outcome, 0 if outcome.success else 1, outcome.render(), db_path, root / "report", gx_dir
    )


@pytest.fixture(scope="module")
def broken_run(demo, good_run: Run, tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("validate_broken")
    gx_dir = copy_gx_project(root / "gx")
    db_path = copy_database(demo, root / "db")
    # The good build is the previous validated build: drift is measured against it.
    shutil.copy(gates.default_state_path(good_run.db_path), gates.default_state_path(db_path))
    with duckdb.connect(str(db_path)) as con:
        customer_id, email = con.execute(
            "select customer_id, email from staging.base_shop__customers_typed"
            " where email is not null order by customer_id limit 1"
        ).fetchone()
        con.execute(
            "update staging.base_shop__customers_typed set email = ? where customer_id = ?",
            [BROKEN_EMAIL, customer_id],
        )
        phone_type, phone = con.execute(
            "select identifier_type, identifier_value from marts.person_identifiers"
            " where identifier_type = 'phone' and identifier_value like '+44%'"
            " order by identifier_value limit 1"
        ).fetchone()
        national = "0" + phone.removeprefix("+44")
        con.execute(
            "update marts.person_identifiers set identifier_value = ?"
            " where identifier_type = ? and identifier_value = ?",
            [national, phone_type, phone],
        )
        con.execute(
            "update quarantine.raw_reconciliation"
            " set used_rows = used_rows + 1, is_balanced = false"
            " where source_table = 'shop_orders'"
        )
        con.execute(
            "update marts.person_source_records set person_id = 'p_00000000000000aa'"
            " where source_table in ('web_events', 'app_events')"
        )
    report_dir = root / "report"
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exit_code = main(
            ["validate", "--db", str(db_path), "--report", str(report_dir), "--gx-dir", str(gx_dir)]
        )
    return Run(
        None, exit_code, buffer.getvalue(), db_path, report_dir, gx_dir, (email, national, phone)
    )


def test_a_good_build_passes_every_gate(good_run: Run) -> None:
    outcome = good_run.outcome
    assert outcome is not None
    assert outcome.success, good_run.output
    assert outcome.failures == []
    assert outcome.tables_validated >= 50
    assert len(outcome.rows) >= 200
    layers = {row.suite.split(".")[0] for row in outcome.rows}
    assert {"staging", "identity", "quarantine", "marts", "gates"} <= layers
    # Domain gates, not only not-null.
    labels = {(row.suite, row.label) for row in outcome.rows}
    assert ("staging.stg_shop__customers", "expect_column_values_to_match_regex(email)") in labels
    assert (
        "staging.base_crm__contacts_typed",
        "expect_column_values_to_match_regex(phone)",
    ) in labels
    assert (
        "marts.person_source_records",
        "expect_column_values_to_match_regex(person_id)",
    ) in labels
    assert (
        "quarantine.raw_reconciliation",
        "expect_column_values_to_be_in_set(is_balanced)",
    ) in labels
    assert ("gates.person_sizes", "expect_column_max_to_be_between(record_count)") in labels
    assert ("gates.build_drift", "expect_column_values_to_be_between(match_rate)") in labels
    # The first validated build records the drift baseline.
    state = json.loads(gates.default_state_path(good_run.db_path).read_text(encoding="utf-8"))
    assert state["person_count"] == outcome.figures["person_count"] > 0
    assert 0 < state["match_rate"] <= 1
    # Marts that do not exist yet are skipped with a note, not failed.
    notes = "\n".join(outcome.notes)
    assert "marts.dim_persons is absent" in notes
    assert "gates.hashed_identifiers" in notes and "gates.audience_consent" in notes


def test_the_committed_gx_project_matches_the_gate_definitions(good_run: Run) -> None:
    """Running against a copy of gx/ wrote nothing: suites, validation definitions, assets
    and the checkpoint committed in gx/ are what personagraph/validate.py defines."""
    assert good_run.outcome is not None
    assert good_run.outcome.gx_written == [], good_run.outcome.gx_written
    checkpoint = json.loads(
        (PROJECT_ROOT / "gx" / "checkpoints" / f"{gates.CHECKPOINT}.json").read_text()
    )
    names = [definition["name"] for definition in checkpoint["validation_definitions"]]
    assert names == [spec.name for spec in gates.table_specs()]


def test_gx_usage_statistics_are_off(good_run: Run) -> None:
    import yaml

    config = yaml.safe_load((PROJECT_ROOT / "gx" / "great_expectations.yml").read_text())
    assert config["analytics_enabled"] is False
    context = gates.open_context(good_run.gx_dir)
    assert context.config.analytics_enabled is False


def test_a_broken_build_fails_naming_table_expectation_and_masked_sample(broken_run: Run) -> None:
    output = broken_run.output
    assert broken_run.exit_code == 1, output
    expected = [
        "FAILED staging.stg_shop__customers: expect_column_values_to_match_regex(email)",
        "FAILED staging.base_shop__customers_typed: expect_column_values_to_match_regex(email)",
        "FAILED marts.person_identifiers: expect_column_values_to_match_regex(identifier_value)",
        "FAILED quarantine.raw_reconciliation: expect_column_values_to_be_in_set(is_balanced)",
        "FAILED quarantine.raw_reconciliation:"
        " expect_column_values_to_be_between(unexplained_rows)",
        "expect_column_max_to_be_between(record_count)",
        "expect_column_values_to_be_between(person_count)",
    ]
    for line in expected:
        assert line in output, f"{line!r} missing from:\n{output}"
    assert "p_00000000000000aa" in output  # the inflated person is named
    assert f"email={gates.mask_value(BROKEN_EMAIL)}" in output
    assert "source_table=shop_orders" in output
    report = (broken_run.report_dir / "index.html").read_text(encoding="utf-8")
    assert "expect_column_max_to_be_between(record_count)" in report
    assert gates.mask_value(BROKEN_EMAIL) in report


def test_activation_gates_apply_when_audience_tables_appear(
    demo, good_run: Run, tmp_path: Path
) -> None:
    """Hashed identifiers must be 64 lowercase hex and every audience member consented,
    as soon as an audience table exists (these marts are not built yet)."""
    db_path = copy_database(demo, tmp_path / "db")
    good_hash = "a" * 64
    with duckdb.connect(str(db_path)) as con:
        con.execute(
            "create table marts.audience_newsletter as select * from (values"
            " ('p_0000000000000001', ?, true),"
            " ('p_0000000000000002', 'JANE@EXAMPLE.COM', true),"
            " ('p_0000000000000003', ?, false))"
            " as t(person_id, email_sha256, has_consent)",
            [good_hash, good_hash],
        )
    outcome = gates.validate(
        db_path,
        tmp_path / "report",
        gx_dir=good_run.gx_dir,
        data_docs=False,
        tables=["gates.hashed_identifiers", "gates.audience_consent"],
    )
    failed = {(row.suite, row.label): row for row in outcome.failures}
    hashed = failed[
        ("gates.hashed_identifiers", "expect_column_values_to_match_regex(hashed_value)")
    ]
    consent = failed[("gates.audience_consent", "expect_column_values_to_be_in_set(has_consent)")]
    assert hashed.observed.startswith("1 of 3")
    assert "table_name=marts.audience_newsletter" in hashed.sample[0]
    assert "JANE@EXAMPLE.COM".lower() not in outcome.render().lower()
    assert consent.observed.startswith("1 of 3")
    assert outcome.tables_validated == 2


def personal_values(demo) -> set[str]:
    """Every generated email and phone (lower case), junk placeholders aside."""
    return {
        row["identifier_value"].lower()
        for row in demo.truth("identifiers")
        if row["identifier_type"] in ("email", "phone") and row["kind"] != "junk"
    }


CANDIDATE = re.compile(r"[a-z0-9._%+'-]+@[a-z0-9.-]+[a-z]|\+[0-9]{8,15}")


def test_no_raw_personal_value_in_output_reports_or_data_docs(broken_run: Run, demo) -> None:
    values = personal_values(demo)
    assert len(values) > 500
    docs = broken_run.gx_dir / "uncommitted" / "data_docs" / "local_site"
    files = [
        broken_run.report_dir / "index.html",
        broken_run.report_dir / "validation_results.json",
        *sorted(docs.rglob("*.html")),
    ]
    assert len(files) > 50  # Data Docs were built
    texts = {"printed output": broken_run.output}
    texts.update({str(path): path.read_text(encoding="utf-8") for path in files})
    planted = [BROKEN_EMAIL.lower(), *(value.lower() for value in broken_run.planted)]
    for name, text in texts.items():
        lowered = text.lower()
        leaked = sorted(set(CANDIDATE.findall(lowered)) & values)
        leaked += [value for value in planted if value in lowered]
        assert not leaked, f"raw personal values in {name}: {leaked[:3]}"


def test_the_html_report_is_self_contained(broken_run: Run) -> None:
    report = (broken_run.report_dir / "index.html").read_text(encoding="utf-8")
    results = json.loads((broken_run.report_dir / "validation_results.json").read_text())
    assert "<style>" in report
    for external in ("http://", "https://", "<script", "<link", "src="):
        assert external not in report
    assert report.count("<tr") >= results["expectations"] + 1
    assert results["success"] is False and results["failed"] >= 7
    assert results["gx_validation_results"], "GX's own validation results are kept"


@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's chromium is not installed (apt-get install chromium): report not rendered",
)
def test_the_html_report_renders_in_headless_chromium(broken_run: Run, tmp_path: Path) -> None:
    screenshot = tmp_path / "report.png"
    completed = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--window-size=1280,1600",
            f"--screenshot={screenshot}",
            (broken_run.report_dir / "index.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    data = screenshot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000


def test_masking() -> None:
    assert re.fullmatch(r"md5:[0-9a-f]{16}", gates.mask_value("jane@example.com"))
    masker = gates.Masker({"staging.stg_x": {"home"}})
    assert masker.column_value("staging.stg_x", "home", "1 High St") == gates.mask_value(
        "1 High St"
    )
    assert masker.column_value("staging.stg_y", "email", "x") == gates.mask_value("x")
    # Email- or phone-shaped values are masked whatever the column.
    assert masker.column_value("t.t", "note", "a@b.co") == gates.mask_value("a@b.co")
    assert masker.column_value("t.t", "note", "+447700900123") == gates.mask_value("+447700900123")
    assert masker.column_value("t.t", "source_table", "shop_orders") == "shop_orders"
    result = {
        "partial_unexpected_list": ["A@B.CO"],
        "partial_unexpected_counts": [{"value": "A@B.CO", "count": 1}],
    }
    masker.result("t.t", ("email",), result)
    assert result["partial_unexpected_list"] == [gates.mask_value("A@B.CO")]
    assert result["partial_unexpected_counts"][0]["value"] == gates.mask_value("A@B.CO")


def test_sensitive_columns_come_from_the_dbt_manifest(demo) -> None:
    sensitive = gates.sensitive_columns()
    if not sensitive:
        pytest.skip("target/manifest.json has no sensitive columns")
    assert "email" in sensitive.get("staging.stg_shop__customers", set())


def test_gate_definitions_are_well_formed() -> None:
    specs = gates.table_specs()
    names = [spec.name for spec in specs]
    assert len(names) == len(set(names))
    for spec in specs:
        keys = [(check.expectation, repr(check.kwargs), check.where) for check in spec.checks]
        assert len(keys) == len(set(keys)), f"{spec.name} repeats an expectation"
        assert spec.layer in {"staging", "identity", "quarantine", "marts", "activation"}
    staged = {staged.raw_table for staged in gates.STAGED_TABLES}
    assert staged == set(gates.RAW_TABLES)


def test_gate_thresholds_and_drift_bounds() -> None:
    configured = gates.load_gates(PROJECT_ROOT / "gx" / gates.GATES_FILE_NAME)
    assert configured.max_records_per_person == 5000
    assert configured.drift_tolerance == pytest.approx(0.2)
    first = gates.drift_parameters(None, 0.2)
    assert first["person_count_min"] == 0 and first["match_rate_max"] == 1.0
    bounds = gates.drift_parameters({"person_count": 1000, "match_rate": 0.9}, 0.2)
    assert (bounds["person_count_min"], bounds["person_count_max"]) == (800, 1200)
    assert bounds["match_rate_min"] == pytest.approx(0.72)
    assert bounds["match_rate_max"] == 1.0
