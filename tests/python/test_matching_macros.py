"""Matching macros on single values, compiled and run by dbt on DuckDB (`dbt show
--inline`): the sound code of a surname and the address words. The dbt unit test
person_records_derive_the_matching_keys covers the cases that hold today through
int_match_person_records.
"""

from __future__ import annotations

import json

import pytest

from personagraph.dbt_runner import run_dbt

# name -> sound code (macros/matching/text_similarity.sql: Soundex-like, first word only)
SOUND_CODES = [
    ("robert", "r163"),
    ("rupert", "r163"),
    ("tymczak", "t522"),
    ("washington", "w252"),
    ("kely", "k400"),
    ("van dyke", "v500"),
    ("pfister", "p236"),
    ("ashcraft", "a261"),
    ("kelly", "k400"),
    ("lloyd", "l300"),
    ("jackson", "j250"),
]

# address line -> (normalised address, house number, street words)
ADDRESSES = [
    ("12, Oak St.", ("12 oak street", "12", "oak street")),
    ("Apt 4, 7 Elm Rd", ("flat 4 7 elm road", "4", "elm road")),
    ("12A Oak St", ("12a oak street", "12", "oak street")),
    ("  ", (None, None, None)),
    ("Flat 2, 10-12 High St", ("flat 2 10 12 high street", "2", "high street")),
]


def values(texts: list[str]) -> str:
    """A SQL values list of text literals."""
    return ", ".join("('" + text.replace("'", "''") + "')" for text in texts)


def inputs(cases: list) -> list[str]:
    return [case.values[0] if hasattr(case, "values") else case[0] for case in cases]


@pytest.fixture(scope="module")
def computed(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], str | None]:
    """(macro, input) -> output for every case, from one dbt show."""
    folder = tmp_path_factory.mktemp("matching_macros")
    query = f"""
        with

        names as (select * from (values {values(inputs(SOUND_CODES))}) as t (name)),

        lines as (select * from (values {values(inputs(ADDRESSES))}) as t (line)),

        addresses as (
            select line, {{{{ personagraph.normalize_address('line') }}}} as address from lines
        )

        select 'sound_code' as macro, name as input, {{{{ personagraph.sound_code('name') }}}}
            as output
        from names
        union all
        select 'normalize_address', line, address from addresses
        union all
        select 'address_house_number', line, {{{{ personagraph.address_house_number('address') }}}}
        from addresses
        union all
        select 'address_street_words', line, {{{{ personagraph.address_street_words('address') }}}}
        from addresses
    """
    completed = run_dbt(
        [
            "--quiet",
            "show",
            "--inline",
            query,
            "--output",
            "json",
            "--limit",
            "1000",
            "--target-path",
            str(folder / "target"),
            "--log-path",
            str(folder / "logs"),
        ],
        folder / "raw",
        folder / "macros.duckdb",
        quiet=True,
    )
    start = completed.stdout.index("{")
    rows = json.loads(completed.stdout[start:])["show"]
    return {(row["macro"], row["input"]): row["output"] for row in rows}


@pytest.mark.parametrize(("name", "code"), SOUND_CODES)
def test_sound_code(computed: dict, name: str, code: str) -> None:
    assert computed[("sound_code", name)] == code


@pytest.mark.parametrize(("line", "expected"), ADDRESSES)
def test_address_words(computed: dict, line: str, expected: tuple) -> None:
    address, house_number, street = expected
    assert computed[("normalize_address", line)] == address
    assert computed[("address_house_number", line)] == house_number
    assert computed[("address_street_words", line)] == street
