"""The estimation of match parameters recovers known m-probabilities from data generated
with them.

Candidate pairs are simulated the way blocking produces them: a population of true
matches and non-matches, every comparison of a pair drawn independently from the true
m-probabilities (matches) or the u-probabilities (non-matches), a share of values missing
(-1); a blocking rule finds the pairs that agree at the top level on the comparisons of
its keys, and the pairs no rule finds are not candidates. The pairs are counted into the
pattern table that int_match_comparison_patterns would hold, the true u-probabilities go
into the u table, and a person-records table gives the deterministic components. The
estimator (macros/matching/estimate_match_parameters.sql, through the run-operation
print_match_parameter_estimate) sees those three tables only, never the true m.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from personagraph.dbt_runner import run_dbt

# Levels of each comparison, best first (macros/matching/comparisons.sql).
LEVELS = {
    "name": [8, 7, 6, 5, 4, 3, 2, 1, 0],
    "date_of_birth": [4, 3, 2, 1, 0],
    "address": [3, 2, 1, 0],
    "postcode": [3, 2, 1, 0],
    "city": [2, 1, 0],
    "email": [3, 2, 1, 0],
    "phone": [2, 1, 0],
}

# The project's blocking rules, passed explicitly so that the test does not move with
# the configuration; pinned: the comparisons that the rule's keys belong to.
BLOCKING_RULES = [
    {"name": "postcode", "keys": ["postcode"], "pinned": ["postcode"]},
    {"name": "date_of_birth", "keys": ["date_of_birth"], "pinned": ["date_of_birth"]},
    {
        "name": "surname_sound_birth_year",
        "keys": ["last_name_sound", "birth_year"],
        "pinned": ["name", "date_of_birth"],
    },
    {
        "name": "surname_first_initial",
        "keys": ["last_name", "first_initial"],
        "pinned": ["name"],
    },
    {"name": "email_local_part", "keys": ["email_local_part"], "pinned": ["email"]},
    {"name": "phone", "keys": ["phone"], "pinned": ["phone"]},
]

# u-probabilities, as random pairs of people would give them: almost always different.
TRUE_U = {
    "name": {
        8: 0.0008,
        7: 0.0002,
        6: 0.0005,
        5: 0.002,
        4: 0.004,
        3: 0.0015,
        2: 0.005,
        1: 0.012,
        0: 0.974,
    },
    "date_of_birth": {4: 0.0004, 3: 0.0003, 2: 0.008, 1: 0.03, 0: 0.9613},
    "address": {3: 0.001, 2: 0.002, 1: 0.01, 0: 0.987},
    "postcode": {3: 0.01, 2: 0.005, 1: 0.05, 0: 0.935},
    "city": {2: 0.08, 1: 0.02, 0: 0.90},
    "email": {3: 0.0001, 2: 0.0002, 1: 0.002, 0: 0.9977},
    "phone": {2: 0.0001, 1: 0.0005, 0: 0.9994},
}

# Share of values missing on one side or both, for matches and non-matches alike.
MISSING_SHARE = {
    "name": 0.05,
    "date_of_birth": 0.3,
    "address": 0.4,
    "postcode": 0.2,
    "city": 0.3,
    "email": 0.25,
    "phone": 0.35,
}

# Typical data: matches mostly agree exactly, near the estimator's fixed starting values
# (0.8 for the top level, 0.05 for disagreement, a 0.1 match share).
TYPICAL_M = {
    "name": {8: 0.70, 7: 0.02, 6: 0.05, 5: 0.06, 4: 0.03, 3: 0.05, 2: 0.02, 1: 0.03, 0: 0.04},
    "date_of_birth": {4: 0.80, 3: 0.04, 2: 0.08, 1: 0.03, 0: 0.05},
    "address": {3: 0.60, 2: 0.15, 1: 0.05, 0: 0.20},
    "postcode": {3: 0.75, 2: 0.04, 1: 0.08, 0: 0.13},
    "city": {2: 0.80, 1: 0.08, 0: 0.12},
    "email": {3: 0.55, 2: 0.10, 1: 0.10, 0: 0.25},
    "phone": {2: 0.60, 1: 0.05, 0: 0.35},
}

# Very dirty data, far from the starting values: matches agree exactly on a third of
# their values at most, disagree often, and most candidate pairs are matches.
FAR_M = {
    "name": {8: 0.22, 7: 0.10, 6: 0.13, 5: 0.13, 4: 0.10, 3: 0.10, 2: 0.06, 1: 0.06, 0: 0.10},
    "date_of_birth": {4: 0.30, 3: 0.15, 2: 0.25, 1: 0.10, 0: 0.20},
    "address": {3: 0.20, 2: 0.30, 1: 0.15, 0: 0.35},
    "postcode": {3: 0.35, 2: 0.10, 1: 0.15, 0: 0.40},
    "city": {2: 0.40, 1: 0.20, 0: 0.40},
    "email": {3: 0.20, 2: 0.30, 1: 0.20, 0: 0.30},
    "phone": {2: 0.25, 1: 0.30, 0: 0.45},
}

PERSON_RECORDS = 3_000
# Person records that the deterministic graph already joined, in pairs.
JOINED_COMPONENTS = 400

# Absolute tolerance on each recovered m. Each comparison is estimated from at least
# about 30,000 simulated matches (over the sessions that estimate it), so the sampling
# error of an m is a few thousandths (the largest error over five seeds of each case was
# 0.0043); 0.02 still lies far below the gaps between the true values and the fixed
# starting values (0.05 to 0.55) that an estimator which did not move would leave behind.
M_TOLERANCE = 0.02
SHARE_TOLERANCE = 0.01


@dataclass(frozen=True)
class Case:
    true_m: dict[str, dict[int, float]]
    # The population of pairs blocking looks at: true matches and non-matches.
    matches: int
    non_matches: int
    seed: int


CASES = {
    # About half the candidate pairs are matches, in sessions from 1% to 98%.
    "typical": Case(TYPICAL_M, matches=40_000, non_matches=4_000_000, seed=20261125),
    # Most candidate pairs are matches, and the matches agree exactly far less often.
    "far": Case(FAR_M, matches=40_000, non_matches=400_000, seed=7),
}


@dataclass(frozen=True)
class Estimate:
    result: dict
    true_matches: int
    candidate_pairs: int


def draw_levels(
    rng: np.random.Generator, size: int, probabilities: dict[str, dict[int, float]]
) -> dict[str, np.ndarray]:
    """Independent levels per comparison, a share of them missing (-1)."""
    columns = {}
    for comparison, levels in LEVELS.items():
        drawn = rng.choice(levels, size=size, p=[probabilities[comparison][lv] for lv in levels])
        missing = rng.random(size) < MISSING_SHARE[comparison]
        columns[f"{comparison}_level"] = np.where(missing, -1, drawn).astype(np.int8)
    return columns


def simulate_patterns(case: Case) -> tuple[pd.DataFrame, int]:
    """Pairs drawn from the true m (matches) and u (non-matches); blocking keeps a pair
    when it agrees at the top level on every key comparison of some rule, flags every
    rule that finds it (found_by_<rule>) and labels it with the first one, as
    int_match_candidate_pairs does. Returns the pattern counts and the true matches among
    the candidate pairs."""
    rng = np.random.default_rng(case.seed)
    matches = draw_levels(rng, case.matches, case.true_m)
    non_matches = draw_levels(rng, case.non_matches, TRUE_U)
    pairs = pd.DataFrame(
        {name: np.concatenate([matches[name], non_matches[name]]) for name in matches}
    )
    is_match = np.r_[np.ones(case.matches, bool), np.zeros(case.non_matches, bool)]
    found_by = {
        rule["name"]: np.logical_and.reduce(
            [pairs[f"{name}_level"].to_numpy() == LEVELS[name][0] for name in rule["pinned"]]
        )
        for rule in BLOCKING_RULES
    }
    candidate = np.logical_or.reduce(list(found_by.values()))
    label = np.full(len(pairs), None, dtype=object)
    for rule in reversed(BLOCKING_RULES):
        label[found_by[rule["name"]]] = rule["name"]
    blocked = pd.DataFrame(
        {
            "blocking_rule": label[candidate],
            **{
                f"found_by_{name}": flags[candidate].astype(int) for name, flags in found_by.items()
            },
            **{column: values[candidate] for column, values in pairs.items()},
        }
    )
    patterns = blocked.value_counts(sort=False).rename("pair_count").reset_index()
    return patterns, int(is_match[candidate].sum())


def person_records() -> pd.DataFrame:
    """Records 1..N; the first 2 * JOINED_COMPONENTS form components of two records."""
    keys = np.arange(1, PERSON_RECORDS + 1)
    component = pd.array(
        [(key + 1) // 2 if key <= 2 * JOINED_COMPONENTS else None for key in keys],
        dtype="Int64",
    )
    return pd.DataFrame({"record_key": keys, "component_id": component})


def u_table() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"comparison": comparison, "comparison_level": level, "u_probability": u}
            for comparison, levels in TRUE_U.items()
            for level, u in levels.items()
        ]
    )


def run_estimation(folder: Path, db_path: Path, patterns: str) -> dict:
    """The estimator's answer for one pattern table (print_match_parameter_estimate)."""
    rules = [{"name": rule["name"], "keys": rule["keys"]} for rule in BLOCKING_RULES]
    arguments = {
        "patterns": patterns,
        "u_probabilities": "main.u_probabilities",
        "person_records": "main.person_records",
    }
    completed = run_dbt(
        [
            "--quiet",
            "run-operation",
            "print_match_parameter_estimate",
            "--args",
            json.dumps(arguments),
            "--vars",
            json.dumps({"matching__blocking_rules": rules}),
            # One target folder for both calls: the second parses the project partially.
            "--target-path",
            str(folder / "target"),
            "--log-path",
            str(folder / "logs"),
        ],
        folder / "raw",
        db_path,
        quiet=True,
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 1, completed.stdout + completed.stderr
    return json.loads(lines[0])


@pytest.fixture(scope="module")
def estimates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Estimate]:
    """Both cases simulated into one fresh DuckDB file, then estimated from it."""
    folder = tmp_path_factory.mktemp("match_estimation")
    db_path = folder / "estimation.duckdb"
    simulated = {name: simulate_patterns(case) for name, case in CASES.items()}
    tables = {f"{name}_patterns": patterns for name, (patterns, _) in simulated.items()}
    tables.update({"u_probabilities": u_table(), "person_records": person_records()})
    with duckdb.connect(str(db_path)) as con:
        for table, frame in tables.items():
            con.register("frame", frame)
            con.execute(f"create table main.{table} as select * from frame")
            con.unregister("frame")
    return {
        name: Estimate(
            result=run_estimation(folder, db_path, f"main.{name}_patterns"),
            true_matches=matches,
            candidate_pairs=int(patterns["pair_count"].sum()),
        )
        for name, (patterns, matches) in simulated.items()
    }


def assert_m_recovered(estimate: Estimate, true_m: dict[str, dict[int, float]]) -> None:
    result = estimate.result
    assert result["converged"], result
    for comparison, levels in true_m.items():
        for level, m in levels.items():
            recovered = result["m"][comparison][str(level)]
            assert recovered == pytest.approx(m, abs=M_TOLERANCE), (
                f"m of {comparison} level {level}: estimated {recovered}, true {m}"
            )


def test_estimation_recovers_known_m_from_typical_data(estimates: dict[str, Estimate]) -> None:
    assert_m_recovered(estimates["typical"], TYPICAL_M)


def test_estimation_converges_to_the_truth_from_far_away(estimates: dict[str, Estimate]) -> None:
    # The estimator always starts at m = 0.8 for a top level, 0.05 for disagreement and a
    # match share of 0.1; here the truth is far from all three.
    for comparison, levels in LEVELS.items():
        assert abs(FAR_M[comparison][levels[0]] - 0.8) >= 0.4
        assert abs(FAR_M[comparison][0] - 0.05) >= 0.05
    assert estimates["far"].true_matches / estimates["far"].candidate_pairs >= 0.5
    assert_m_recovered(estimates["far"], FAR_M)


@pytest.mark.parametrize("case", list(CASES))
def test_u_is_held_and_the_prior_leaves_out_joined_pairs(
    estimates: dict[str, Estimate], case: str
) -> None:
    result = estimates[case].result
    for comparison, levels in TRUE_U.items():
        for level, u in levels.items():
            assert result["u"][comparison][str(level)] == pytest.approx(u)
    # Only pairs across deterministic components are ever scored, so the prior is over
    # those: expected matches among the candidate pairs / pairs of person records that
    # are not inside one component (the JOINED_COMPONENTS two-record components).
    cross_component_pairs = PERSON_RECORDS * (PERSON_RECORDS - 1) / 2 - JOINED_COMPONENTS
    expected_matches = result["candidate_prior"] * estimates[case].candidate_pairs
    assert result["prior"] == pytest.approx(expected_matches / cross_component_pairs)


@pytest.mark.parametrize("case", ["typical", "far"])
def test_estimation_recovers_the_share_of_matches_among_candidate_pairs(
    estimates: dict[str, Estimate], case: str
) -> None:
    estimate = estimates[case]
    true_share = estimate.true_matches / estimate.candidate_pairs
    assert estimate.result["candidate_prior"] == pytest.approx(true_share, abs=SHARE_TOLERANCE)


@pytest.mark.parametrize("case", list(CASES))
def test_simulated_patterns_have_the_shape_of_int_match_comparison_patterns(case: str) -> None:
    patterns, matches = simulate_patterns(CASES[case])
    expected_columns = [
        "blocking_rule",
        *(f"found_by_{rule['name']}" for rule in BLOCKING_RULES),
        *(f"{name}_level" for name in LEVELS),
        "pair_count",
    ]
    assert list(patterns.columns) == expected_columns
    assert 0 < matches < int(patterns["pair_count"].sum())
    for position, rule in enumerate(BLOCKING_RULES):
        # Every pair a rule finds agrees on the rule's key comparisons ...
        found = patterns[patterns[f"found_by_{rule['name']}"] == 1]
        assert len(found) > 0
        for comparison in rule["pinned"]:
            assert set(found[f"{comparison}_level"]) == {LEVELS[comparison][0]}
        # ... and is labelled with the first rule that finds it.
        earlier = [f"found_by_{other['name']}" for other in BLOCKING_RULES[:position]]
        labelled = patterns[patterns["blocking_rule"] == rule["name"]]
        assert (labelled[f"found_by_{rule['name']}"] == 1).all()
        assert (labelled[earlier].sum(axis=1) == 0).all() if earlier else True
