"""Pin the probabilistic matching parameters that a build estimated, so that later builds
(and other engines) use exactly the same numbers: the dbt seed ``match_parameters``."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from personagraph import paths

SEED_PATH = paths.PROJECT_ROOT / "seeds" / "match_parameters.csv"
COLUMNS = (
    "comparison",
    "comparison_level",
    "m_probability",
    "u_probability",
    "prior_match_probability",
)


def pin_parameters(db_path: Path, seed_path: Path = SEED_PATH) -> int:
    """Write the parameters of ``identity.int_match_parameters`` to the seed; returns the
    number of rows. Floats are written with full precision (repr), so the pinned build
    computes the same weights as the build that estimated them."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.execute(
            f"select {', '.join(COLUMNS)} from identity.int_match_parameters"
            " order by comparison, comparison_level desc"
        ).fetchall()
    if not rows:
        raise ValueError(f"{db_path}: identity.int_match_parameters is empty")
    seed_path.parent.mkdir(parents=True, exist_ok=True)
    with open(seed_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for comparison, level, m, u, prior in rows:
            writer.writerow(
                [comparison, int(level), repr(float(m)), repr(float(u)), repr(float(prior))]
            )
    return len(rows)


def unpin_parameters(seed_path: Path = SEED_PATH) -> None:
    """Empty the seed (header only): builds estimate the parameters again."""
    seed_path.write_text(",".join(COLUMNS) + "\n", encoding="utf-8")
