"""Benchmark: the cost of an appended daily drop against a full rebuild.

Generates N people, cuts every raw file at (1 - drop) of its records, builds that
(the previous day), appends the rest of every file (the drop) and builds again into the
same database: the incremental build. Then builds the whole files into a fresh database:
the full rebuild. Prints wall time and peak memory of both, the time of each layer from
dbt's run_results.json, and the ratio; checks that both databases hold the same tables.

    python benchmarks/bench_incremental.py --people 100000 --drop 0.01 --json out.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from personagraph.batches import fraction, read_raw_dir, write_batch
from personagraph.bench import measured
from personagraph.dbt_runner import dbt_env, dbt_executable
from personagraph.paths import PROJECT_ROOT

BUILD = ["build", "--resource-type", "seed", "--resource-type", "model"]


def layer(unique_id: str, path: str) -> str:
    if path.startswith("staging") and unique_id.endswith("_typed"):
        return "staging: typing rows"
    for prefix, name in (
        ("staging", "staging: copies, versions, views"),
        ("quarantine", "quarantine"),
        ("identity/matching", "identity: matching"),
        ("identity", "identity: graph and persons"),
        ("marts", "marts"),
    ):
        if path.startswith(prefix):
            return name
    return "seeds and other"


def _seconds(stamp: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def timed_build(raw_dir: Path, db_path: Path, target: Path) -> dict:
    result = measured(
        [
            dbt_executable(),
            *BUILD,
            "--project-dir",
            str(PROJECT_ROOT),
            "--target-path",
            str(target),
        ],
        env=dbt_env(raw_dir, db_path),
    )
    run_results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    layers: dict[str, float] = defaultdict(float)
    for node in run_results["results"]:
        original = manifest["nodes"].get(node["unique_id"], {}).get("original_file_path", "")
        path = original.removeprefix("models/")
        # Compile time too: the typed models check the previous build's rows while compiling.
        layers[layer(node["unique_id"], path)] += sum(
            _seconds(timing["completed_at"]) - _seconds(timing["started_at"])
            for timing in node["timing"]
        )
    return {"seconds": result["seconds"], "peak_mib": result["peak_mib"], "layers": dict(layers)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--drop", type=float, default=0.01, help="share of rows in the drop")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)

    work = args.work or Path(tempfile.mkdtemp(prefix="personagraph_incremental_"))
    generated = work / "generated"
    if not (generated / "raw").exists():
        measured(
            [sys.executable, "-m", "personagraph.cli", "generate", "--people", str(args.people),
             "--seed", str(args.seed), "--out", str(generated)]
        )  # fmt: skip
    raw = read_raw_dir(generated / "raw")
    drop_dir, incremental_db, full_db = (
        work / "drops",
        work / "incremental.duckdb",
        work / "full.duckdb",
    )
    for path in (incremental_db, full_db):
        path.unlink(missing_ok=True)
    shutil.rmtree(drop_dir, ignore_errors=True)

    write_batch(raw, fraction(raw, 1 - args.drop), drop_dir)
    previous = timed_build(drop_dir, incremental_db, work / "target_previous")
    write_batch(raw, {}, drop_dir)
    incremental = timed_build(drop_dir, incremental_db, work / "target_incremental")
    full = timed_build(generated / "raw", full_db, work / "target_full")

    records = sum(len(f.records) for f in raw)
    appended = records - sum(fraction(raw, 1 - args.drop).values())
    result = {
        "people": args.people,
        "raw_records": records,
        "drop_records": appended,
        "previous_build": previous,
        "incremental_build": incremental,
        "full_rebuild": full,
        "incremental_over_full": incremental["seconds"] / full["seconds"],
    }
    print(f"{args.people:,} people, {records:,} raw records; drop of {appended:,} appended rows")
    print(f"{'layer':36} {'incremental s':>14} {'full s':>10} {'ratio':>7}")
    for name in sorted(set(full["layers"]) | set(incremental["layers"])):
        a, b = incremental["layers"].get(name, 0.0), full["layers"].get(name, 0.0)
        print(f"{name:36} {a:14.1f} {b:10.1f} {a / b if b else 0:7.2f}")
    print(
        f"{'whole build (wall)':36} {incremental['seconds']:14.1f} {full['seconds']:10.1f}"
        f" {result['incremental_over_full']:7.2f}"
    )
    print(
        f"peak memory: incremental {incremental['peak_mib']:,.0f} MiB,"
        f" full {full['peak_mib']:,.0f} MiB"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
