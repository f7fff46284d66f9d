"""Cluster a ``crm_contacts.csv`` with Splink, for a side-by-side F1 with personagraph.

Runs in an environment of its own that has Splink (it is not one of this project's
dependencies; see ``benchmarks/compare_public_linkage.py``):

    python benchmarks/splink_reference.py RAW_DIR OUT.csv [--threshold 0.99]

The settings are the ones Splink's documentation suggests for person data of this shape
(name, date of birth, address, postcode, city, region), written once and not adjusted to
any data set: u-probabilities from random pairs, m-probabilities by expectation
maximisation on two blocking rules, term-frequency adjustment on names and city. Writes
``contact_id,cluster_id`` for every record.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

COLUMNS = [
    "contact_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "address_line1",
    "address_line2",
    "city",
    "postcode",
    "region",
]


def settings() -> SettingsCreator:
    """Dedupe settings for person records: the same blocking ideas as personagraph's."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="contact_id",
        blocking_rules_to_generate_predictions=[
            block_on("postcode"),
            block_on("date_of_birth"),
            block_on("last_name", "substr(first_name, 1, 1)"),
            block_on("first_name", "substr(date_of_birth, 1, 4)"),
        ],
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("last_name").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True),
            cl.LevenshteinAtThresholds("address_line1", [1, 2]),
            cl.LevenshteinAtThresholds("address_line2", [1, 2]),
            cl.ExactMatch("city").configure(term_frequency_adjustments=True),
            cl.LevenshteinAtThresholds("postcode", [1]),
            cl.ExactMatch("region"),
        ],
    )


def cluster(raw_dir: Path, threshold: float) -> pd.DataFrame:
    """Train on the data itself, predict, and cluster at ``threshold``."""
    frame = pd.read_csv(raw_dir / "crm_contacts.csv", dtype=str, keep_default_na=False)
    frame = frame[COLUMNS].replace({"": None})
    linker = Linker(frame, settings(), db_api=DuckDBAPI())
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "last_name", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
    predictions = linker.inference.predict(threshold_match_probability=min(threshold, 0.5))
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    return clusters.as_pandas_dataframe()[["contact_id", "cluster_id"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw_dir", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--threshold", type=float, default=0.99)
    args = parser.parse_args()
    result = cluster(args.raw_dir, args.threshold)
    with open(args.out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["contact_id", "cluster_id"])
        writer.writerows(result.itertuples(index=False, name=None))


if __name__ == "__main__":
    main()
