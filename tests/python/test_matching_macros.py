"""Matching macros on single values, compiled and run by dbt on DuckDB (`dbt show
--inline`): the sound code of a surname and the address words. The dbt unit test
person_records_derive_the_matching_keys covers the cases that hold today through
int_match_person_records.
"""

from __future__ import annotations

import json
import random

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


def edit_pairs() -> list[tuple[str, str]]:
    """Pairs of texts 0, 1 or 2 random edits apart (substitution, insertion, deletion,
    transposition), from a fixed seed: email-like, short texts of few letters (many
    pairs one edit apart in several ways), empty texts and non-ASCII letters."""
    rng = random.Random(20261207)
    alphabets = ["ab", "abcdefghij.@", "abcdé_ü1"]

    def edited(text: str, alphabet: str) -> str:
        position = rng.randrange(len(text) + 1)
        kind = rng.choice(["substitute", "insert", "delete", "transpose"])
        if kind == "insert" or not text:
            return text[:position] + rng.choice(alphabet) + text[position:]
        position = min(position, len(text) - 1)
        if kind == "substitute":
            return text[:position] + rng.choice(alphabet) + text[position + 1 :]
        if kind == "delete":
            return text[:position] + text[position + 1 :]
        if position + 1 < len(text):
            return text[:position] + text[position + 1] + text[position] + text[position + 2 :]
        return text[:position]

    pairs = [("", ""), ("", "a"), ("a", ""), ("", "ab"), ("a", "b"), ("ab", "ba")]
    for _ in range(600):
        alphabet = rng.choice(alphabets)
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 24)))
        other = text
        for _ in range(rng.choice([0, 1, 1, 2])):
            other = edited(other, alphabet)
        pairs.append((text, other))
    return pairs


def edit_distance(left: str, right: str) -> int:
    """Levenshtein distance by characters (insertions, deletions, substitutions)."""
    previous = list(range(len(right) + 1))
    for i, left_char in enumerate(left, start=1):
        current = [i]
        for j, right_char in enumerate(right, start=1):
            current.append(
                min(
                    previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (left_char != right_char)
                )
            )
        previous = current
    return previous[-1]


def values(texts: list[str]) -> str:
    """A SQL values list of text literals."""
    return ", ".join("('" + text.replace("'", "''") + "')" for text in texts)


def inputs(cases: list) -> list[str]:
    return [case.values[0] if hasattr(case, "values") else case[0] for case in cases]


@pytest.fixture(scope="module")
def computed(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], str | None]:
    """(macro, input) -> output for every case, from one dbt show."""
    folder = tmp_path_factory.mktemp("matching_macros")
    pair_values = ", ".join(
        f"('{number}', {values([left])[1:-1]}, {values([right])[1:-1]})"
        for number, (left, right) in enumerate(edit_pairs())
    )
    query = f"""
        with

        names as (select * from (values {values(inputs(SOUND_CODES))}) as t (name)),

        lines as (select * from (values {values(inputs(ADDRESSES))}) as t (line)),

        edits as (
            select * from (values {pair_values}) as t (pair_id, left_text, right_text)
        ),

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
        union all
        select
            'within_one_edit',
            pair_id,
            case
                when {{{{ personagraph.within_one_edit('left_text', 'right_text') }}}} then 'yes'
                else 'no'
            end
        from edits
        union all
        select
            'edit_distance_at_most_one',
            pair_id,
            case
                when {{{{ personagraph.edit_distance('left_text', 'right_text') }}}} <= 1 then 'yes'
                else 'no'
            end
        from edits
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
            "10000",
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


def test_within_one_edit_equals_the_edit_distance_test(computed: dict) -> None:
    """The filtered test says what edit_distance <= 1 says, on every pair; on ASCII texts
    both say what the character edit distance says (DuckDB counts bytes, so a non-ASCII
    letter substituted is two edits there)."""
    pairs = edit_pairs()
    fast = [computed[("within_one_edit", str(number))] for number in range(len(pairs))]
    plain = [computed[("edit_distance_at_most_one", str(number))] for number in range(len(pairs))]
    assert fast == plain
    ascii_pairs = [number for number, pair in enumerate(pairs) if "".join(pair).isascii()]
    expected = ["yes" if edit_distance(*pairs[number]) <= 1 else "no" for number in ascii_pairs]
    assert [fast[number] for number in ascii_pairs] == expected
    # The sample holds both answers in numbers, so neither a filter that rejects too much
    # nor one that lets everything through goes unnoticed.
    assert 100 < fast.count("yes") < len(pairs) - 100
