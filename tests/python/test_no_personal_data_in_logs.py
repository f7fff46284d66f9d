"""No personal value (email, phone, name) in what a build prints or writes beside the data.

Scanned: dbt's stdout and stderr, ``logs/dbt.log`` (debug level: every SQL statement) and
``target/run_results.json``, for the demo build, for builds that fail on purpose (a raw file
without its header row, whose first line is a person's record; data tests failing on
tables full of personal values), against the generated ground truth: every personal email
and phone in ``identifiers.csv`` and ``people.csv``, and every person's first and last name
appearing together on one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import Demo

from personagraph.dbt_runner import DbtError, run_dbt

EMAIL_TOKEN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_TOKEN = re.compile(r"\+?\d{8,15}")
WORD = re.compile(r"[a-z]{3,}")


@dataclass(frozen=True)
class PersonalValues:
    emails: frozenset[str]
    phones: frozenset[str]  # E.164, and GB numbers in national form (07700900123)
    names: frozenset[tuple[str, str]]  # (first, last), lower case

    def leaks(self, text: str) -> list[str]:
        """Personal values found in the text, each with the line it is on."""
        found = []
        for line in text.splitlines():
            lowered = line.lower()
            hits = {token for token in EMAIL_TOKEN.findall(lowered) if token in self.emails}
            hits |= {token for token in PHONE_TOKEN.findall(line) if token in self.phones}
            words = set(WORD.findall(lowered))
            hits |= {
                f"{first} {last}" for first, last in self.names if first in words and last in words
            }
            found += [f"{hit!r} in: {line.strip()[:300]}" for hit in sorted(hits)]
        return found


@pytest.fixture(scope="module")
def personal(demo: Demo) -> PersonalValues:
    emails, phones, names = set(), set(), set()
    for row in demo.truth("identifiers"):
        if row["kind"] != "personal":
            continue
        if row["identifier_type"] == "email":
            emails.add(row["identifier_value"].lower())
        elif row["identifier_type"] == "phone":
            phones.add(row["identifier_value"])
    for person in demo.truth("people"):
        emails |= {person[key].lower() for key in ("primary_email", "work_email") if person[key]}
        if person["phone_e164"]:
            phones.add(person["phone_e164"])
        names.add((person["first_name"].lower(), person["last_name"].lower()))
    phones |= {"0" + phone[3:] for phone in phones if phone.startswith("+44")}
    assert len(emails) > 500 and len(phones) > 500 and len(names) > 500
    return PersonalValues(frozenset(emails), frozenset(phones), frozenset(names))


def build_outputs(
    raw_dir: Path, work_dir: Path, extra_args: list[str] | None = None
) -> tuple[bool, dict[str, str]]:
    """Run ``dbt build`` with its own log and target folders; whether it failed, and the
    texts to scan: stdout and stderr, logs/dbt.log and target/run_results.json."""
    output_path = work_dir / "output.txt"
    args = [
        "build",
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
    ]
    try:
        run_dbt(
            [*args, *(extra_args or [])],
            raw_dir,
            work_dir / "personagraph.duckdb",
            log_path=output_path,
            quiet=True,
        )
        failed = False
    except DbtError:
        failed = True
    texts = {"stdout and stderr": output_path.read_text(encoding="utf-8")}
    for name in ("logs/dbt.log", "target/run_results.json"):
        path = work_dir / name
        if path.exists():
            texts[name] = path.read_text(encoding="utf-8", errors="replace")
    return failed, texts


def assert_no_leaks(personal: PersonalValues, texts: dict[str, str]) -> None:
    leaks = {name: personal.leaks(text) for name, text in texts.items()}
    leaks = {name: found for name, found in leaks.items() if found}
    assert not leaks, "personal values in build output:\n" + "\n".join(
        f"{name}: {len(found)}, e.g. {found[:3]}" for name, found in leaks.items()
    )


def test_the_scanner_finds_what_it_looks_for(personal: PersonalValues) -> None:
    email, phone = sorted(personal.emails)[0], sorted(personal.phones)[0]
    first, last = sorted(personal.names)[0]
    text = (
        f"row: {email.upper()},x\n"
        f"phone={phone};\n"
        f'{{"first_name": "{first.title()}", "last_name": "{last.title()}"}}\n'
    )
    assert len(personal.leaks(text)) == 3


def test_the_demo_build_prints_and_logs_no_personal_values(
    demo: Demo, personal: PersonalValues
) -> None:
    # The demo build wrote its dbt.log to a log folder of its own and its run_results.json
    # was copied right after it (the project's target folder is shared with later runs).
    texts = {"stdout and stderr": demo.build_log}
    for name, path in (
        ("logs/dbt.log", demo.dbt_log_path),
        ("target/run_results.json", demo.run_results_path),
    ):
        assert path.is_file(), f"the demo build left no {name}"
        texts[name] = path.read_text(encoding="utf-8", errors="replace")
    assert "Command `dbt build` succeeded" in texts["logs/dbt.log"]
    assert_no_leaks(personal, texts)


BAD_FILES = {
    # The header row is missing: the first line is a person's record.
    "shop_customers.csv": (
        "C9000001,{email},{phone},{first},{last},2024-01-01,2024-01-02,true\n"
        "C9000002,{email_upper},,,,,,\n",
        "header_row_present",
    ),
    # Semicolon separated and no header either.
    "crm_contacts.csv": ("K1;{first};{last};{email};{phone}\n", "comma_separated"),
}


@pytest.mark.parametrize("file_name", sorted(BAD_FILES))
def test_a_bad_raw_file_fails_the_build_without_showing_its_values(
    demo: Demo, personal: PersonalValues, tmp_path: Path, file_name: str
) -> None:
    person = demo.truth("people")[0]
    template, rule = BAD_FILES[file_name]
    raw_dir = tmp_path / "raw"
    raw_dir.mkdir()
    (raw_dir / file_name).write_text(
        template.format(
            email=person["primary_email"],
            email_upper=person["primary_email"].upper(),
            phone="0" + person["phone_e164"][3:],
            first=person["first_name"],
            last=person["last_name"],
        ),
        encoding="utf-8",
    )
    assert personal.leaks((raw_dir / file_name).read_text(encoding="utf-8"))
    failed, texts = build_outputs(raw_dir, tmp_path)
    assert failed
    error_lines = [
        line for line in texts["stdout and stderr"].splitlines() if "personagraph: raw file" in line
    ]
    assert any(file_name in line and rule in line for line in error_lines), error_lines
    assert_no_leaks(personal, texts)


def test_data_tests_failing_on_personal_tables_show_no_rows(
    demo: Demo, personal: PersonalValues, tmp_path: Path
) -> None:
    # One stitching round is too few: the convergence tests on the identity graph (its
    # nodes are emails and phones) fail, and dbt must report counts, not rows.
    failed, texts = build_outputs(
        demo.raw_dir,
        tmp_path,
        ["--select", "+int_identity_account_components", "--vars", "{identity__max_iterations: 1}"],
    )
    assert failed
    assert "components_converged" in texts["stdout and stderr"]
    assert_no_leaks(personal, texts)
