"""Benchmark: generate data at several sizes, build, and time every stage.

For each size: generation and ``dbt build`` run as separate measured processes (wall
time and peak resident memory each); per-stage model time comes from dbt's
run_results.json; the connected-components step is timed again on its own and set
side by side with scipy's ``connected_components`` on the exact same edge list, and
both partitions are checked equal.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import numpy as np

from personagraph.dbt_runner import dbt_env, dbt_executable
from personagraph.paths import PROJECT_ROOT


def measured(command: list[str], env: dict[str, str] | None = None) -> dict:
    """Run a command under personagraph.measure; return seconds, peak MiB, output tail."""
    completed = subprocess.run(
        [sys.executable, "-m", "personagraph.measure", "--", *command],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    marker = [
        line for line in completed.stderr.splitlines() if line.startswith("PERSONAGRAPH_MEASURE ")
    ]
    result = json.loads(marker[-1].split(" ", 1)[1]) if marker else {"returncode": -1}
    if result.get("returncode") != 0:
        tail = (completed.stdout + completed.stderr)[-3000:]
        raise RuntimeError(f"{' '.join(command[:3])} failed:\n{tail}")
    return result


SKIP_LOAD = ["--vars", "{raw__skip_load: true}"]
# Each stage is its own dbt process, so its wall time and peak memory are its own.
STAGES = [
    ("load raw + staging", ["run", "--select", "path:models/staging", "path:models/quarantine"]),
    ("identity: deterministic graph", [
        "build", "--select", "path:seeds", "+int_identity_components", "--exclude",
        "path:models/staging", "path:models/quarantine", "test_type:data", *SKIP_LOAD]),
    ("identity: probabilistic matching", [
        "run", "--select", "path:models/identity/matching", *SKIP_LOAD]),
    ("identity: persons", [
        "run", "--select", "path:models/identity", "--exclude", "+int_identity_components",
        "path:models/identity/matching", *SKIP_LOAD]),
    ("marts", ["run", "--select", "path:models/marts", *SKIP_LOAD]),
]  # fmt: skip


def components_side_by_side(db_path: Path, target_path: Path) -> dict:
    """Our recursive-CTE components vs scipy on the same nodes and edges."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    compiled = next((target_path / "compiled").rglob("int_identity_components.sql"))
    sql = compiled.read_text(encoding="utf-8")
    with duckdb.connect(str(db_path), read_only=True) as con:
        # The stitching's own node set: bridge hubs are set aside before it.
        nodes = con.execute("select node_id from identity.int_identity_components").fetchnumpy()[
            "node_id"
        ]
        edges = con.execute("select src_id, dst_id from identity.int_identity_edges").fetchnumpy()
        started = time.perf_counter()
        ours = con.execute(f"select node_id, component_id from ({sql}) as c").fetchnumpy()
        ours_seconds = time.perf_counter() - started
    started = time.perf_counter()
    order = np.sort(nodes)
    src = np.searchsorted(order, edges["src_id"])
    dst = np.searchsorted(order, edges["dst_id"])
    graph = coo_matrix(
        (np.ones(len(src), dtype=np.int8), (src, dst)), shape=(len(order), len(order))
    )
    count, labels = connected_components(graph, directed=False)
    scipy_seconds = time.perf_counter() - started
    # Same partition: map each of our components to scipy labels one to one.
    ours_labels = labels[np.searchsorted(order, ours["node_id"])]
    pairs = np.unique(np.stack([ours["component_id"], ours_labels]), axis=1)
    same = len(np.unique(pairs[0])) == pairs.shape[1] == len(np.unique(pairs[1])) == count and len(
        ours["node_id"]
    ) == len(order)
    return {
        "nodes": int(len(order)),
        "edges": int(len(src)),
        "components": int(count),
        "ours_seconds": ours_seconds,
        "scipy_seconds": scipy_seconds,
        "ratio_ours_to_scipy": ours_seconds / scipy_seconds if scipy_seconds else None,
        "same_partition": bool(same),
    }


# The identity layer up to stitching: the first two stages.
IDENTITY_STAGES = STAGES[:2]

# --identity-only builds the identity layer the way a user builds it: one dbt process,
# `dbt build --select +int_identity_components` (raw files loaded by the on-run-start
# hook, then every model and seed that the stitching reads, with their unit tests). Staging
# models that the graph does not read (consent, order lines, ESP events, enrichment) and
# the quarantine reports are not part of it; the full benchmark builds them. Time per
# part is read from run_results.json.
IDENTITY_ONE_PROCESS = [
    "build", "--select", "+int_identity_components", "--exclude", "test_type:data",
]  # fmt: skip


def stage_seconds_from_run_results(target_path: Path, process_seconds: float) -> dict:
    """One dbt process's time by part: execution seconds of its nodes summed per part
    (staging models; the identity graph's seeds, unit tests and models), the span from
    the first node's start to the last node's end, and the process's time outside that
    span (start-up, parsing, the on-run-start hook that loads the raw files, whose own
    timing dbt does not record)."""
    from datetime import datetime

    results = json.loads((target_path / "run_results.json").read_text(encoding="utf-8"))
    manifest = json.loads((target_path / "manifest.json").read_text(encoding="utf-8"))
    nodes = {**manifest.get("nodes", {}), **manifest.get("unit_tests", {})}
    sums = {"staging models": 0.0, "identity: deterministic graph": 0.0}
    starts, ends = [], []
    for result in results["results"]:
        timing = [t for t in result.get("timing", []) if t.get("name") == "execute"]
        if not timing or not timing[0].get("started_at"):
            continue
        started = datetime.fromisoformat(timing[0]["started_at"].replace("Z", "+00:00"))
        ended = datetime.fromisoformat(timing[0]["completed_at"].replace("Z", "+00:00"))
        starts.append(started)
        ends.append(ended)
        unique_id = result["unique_id"]
        path = nodes.get(unique_id, {}).get("original_file_path", "")
        if unique_id.startswith("operation."):
            continue
        if path.startswith(("models/staging/", "models/quarantine/")):
            key = "staging models"
        else:
            key = "identity: deterministic graph"
        sums[key] += (ended - started).total_seconds()
    span = (max(ends) - min(starts)).total_seconds() if starts else 0.0
    return {
        "model_seconds": sums,
        "nodes_span_seconds": span,
        "outside_nodes_seconds": process_seconds - span,
    }


def bench(
    sizes: list[int],
    work_dir: Path,
    seed: int = 7,
    file_format: str = "csv",
    identity_only: bool = False,
) -> list[dict]:
    """Run the benchmark for each size; print a line per size as it finishes.

    identity_only: only the identity layer whose time the identity graph issue sets a
    target for (raw files, the staging models it reads, the deterministic graph with
    stitching), in one dbt process (IDENTITY_ONE_PROCESS)."""
    rows = []
    for people in sizes:
        folder = work_dir / f"people_{people}"
        generation = measured(
            [sys.executable, "-m", "personagraph.cli", "generate", "--people", str(people),
             "--seed", str(seed), "--out", str(folder), "--format", file_format, "--no-truth"]
        )  # fmt: skip
        db_path = folder / "bench.duckdb"
        db_path.unlink(missing_ok=True)
        env = dbt_env(folder / "raw", db_path)
        # A target folder of its own, so other dbt runs cannot overwrite what is read here.
        target_path = folder / "target"
        stages = {}
        breakdown = None
        if identity_only:
            result = measured(
                [dbt_executable(), *IDENTITY_ONE_PROCESS, "--project-dir", str(PROJECT_ROOT),
                 "--target-path", str(target_path)],
                env=env,
            )  # fmt: skip
            stages["identity layer, one dbt process"] = {
                "seconds": result["seconds"],
                "peak_mib": result["peak_mib"],
            }
            breakdown = stage_seconds_from_run_results(target_path, result["seconds"])
            # Kept: the components step below runs dbt again in this target folder.
            shutil.copy(target_path / "run_results.json", target_path / "run_results_build.json")
        for stage, args in [] if identity_only else STAGES:
            result = measured(
                [dbt_executable(), *args, "--project-dir", str(PROJECT_ROOT), "--target-path",
                 str(target_path)],
                env=env,
            )  # fmt: skip
            stages[stage] = {"seconds": result["seconds"], "peak_mib": result["peak_mib"]}
        build = {
            "seconds": sum(stage["seconds"] for stage in stages.values()),
            "peak_mib": max(stage["peak_mib"] for stage in stages.values()),
        }
        with duckdb.connect(str(db_path), read_only=True) as con:
            raw_rows = con.execute(
                "select sum(rows_loaded + lines_rejected) from raw._load_log"
            ).fetchone()[0]
        identity_seconds = (
            stages["identity layer, one dbt process"]["seconds"]
            if identity_only
            else sum(stages[stage]["seconds"] for stage, _ in IDENTITY_STAGES)
        )
        persons, matching = None, None
        if not identity_only:
            persons, matching = built_persons_and_matching(db_path, stages)
        components = components_side_by_side(db_path, target_path)
        for method in ("recursive", "iterative"):
            variant = measured(
                [dbt_executable(), "run", "--select", "int_identity_components",
                 "--project-dir", str(PROJECT_ROOT), "--target-path", str(target_path), "--vars",
                 f"{{raw__skip_load: true, identity__stitching_method: {method}}}"],
                env=env,
            )  # fmt: skip
            components[f"dbt_run_{method}_seconds"] = variant["seconds"]
        row = {
            "people": people,
            "raw_rows": int(raw_rows),
            "persons_built": persons,
            "identity_layer_seconds": identity_seconds,
            "generate_seconds": generation["seconds"],
            "generate_peak_mib": generation["peak_mib"],
            "build_seconds": build["seconds"],
            "build_peak_mib": build["peak_mib"],
            "build_rows_per_second": raw_rows / build["seconds"],
            "stages": stages,
            "identity_breakdown": breakdown,
            "matching": matching,
            "components": components,
        }
        rows.append(row)
        print(render_row(row), flush=True)
        if os.environ.get("PERSONAGRAPH_BENCH_KEEP") != "1" and people >= 1_000_000:
            for path in (folder / "raw").glob("*"):
                path.unlink()
    return rows


def built_persons_and_matching(db_path: Path, stages: dict) -> tuple[int, dict]:
    """Persons built and the matching stage's figures, from a full build."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        persons = con.execute(
            "select count(distinct person_id) from marts.person_source_records"
        ).fetchone()[0]
        person_records, candidate_pairs, compared_pairs, accepted_links = con.execute(
            "select (select count(*) from identity.int_match_person_records),"
            " (select count(*) from identity.int_match_candidate_pairs),"
            " (select count(*) from identity.int_match_pair_comparisons),"
            " (select count(*) from identity.int_match_group_links where is_accepted)"
        ).fetchone()
    matching_seconds = stages["identity: probabilistic matching"]["seconds"]
    return int(persons), {
        "person_records": int(person_records),
        "candidate_pairs": int(candidate_pairs),
        "candidate_pairs_per_record": candidate_pairs / max(person_records, 1),
        # Candidate pairs inside one deterministic component are not compared.
        "compared_pairs": int(compared_pairs),
        "accepted_group_links": int(accepted_links),
        "seconds": matching_seconds,
        "pairs_compared_per_second": compared_pairs / matching_seconds,
    }


def render_row(row: dict) -> str:
    stages = ", ".join(
        f"{name} {stage['seconds']:.1f}s {stage['peak_mib']:.0f} MiB"
        for name, stage in row["stages"].items()
    )
    components = row["components"]
    matching = row["matching"]
    persons = "" if row["persons_built"] is None else f", {row['persons_built']:,} persons"
    breakdown = row.get("identity_breakdown")
    if breakdown:
        parts = ", ".join(f"{name} {sec:.1f}s" for name, sec in breakdown["model_seconds"].items())
        span = breakdown["nodes_span_seconds"]
        outside = breakdown["outside_nodes_seconds"]
        stages += (
            f" (summed node seconds: {parts}; nodes span {span:.1f}s; start-up, parse and"
            f" loading raw files {outside:.1f}s)"
        )
    lines = [
        f"{row['people']:>10,} people | raw rows {row['raw_rows']:>12,} | generate "
        f"{row['generate_seconds']:7.1f}s {row['generate_peak_mib']:7.0f} MiB | dbt "
        f"{row['build_seconds']:7.1f}s, peak {row['build_peak_mib']:7.0f} MiB "
        f"({row['build_rows_per_second']:,.0f} rows/s){persons}",
        f"stages: {stages}",
        f"identity layer (load, staging, deterministic graph"
        f"{', one dbt process' if breakdown else ', staged processes'}): "
        f"{row['identity_layer_seconds']:.1f}s",
    ]
    if matching is not None:
        lines.append(
            f"matching: {matching['person_records']:,} person records, "
            f"{matching['candidate_pairs']:,} candidate pairs "
            f"({matching['candidate_pairs_per_record']:.2f} per record), "
            f"{matching['compared_pairs']:,} compared (not inside one component) in "
            f"{matching['seconds']:.1f}s = {matching['pairs_compared_per_second']:,.0f} pairs/s, "
            f"{matching['accepted_group_links']:,} accepted group links"
        )
    lines += [
        f"components: {components['nodes']:,} nodes, {components['edges']:,} edges, "
        f"ours {components['ours_seconds']:.2f}s vs scipy {components['scipy_seconds']:.2f}s "
        f"= {components['ratio_ours_to_scipy']:.1f}x, "
        f"same partition: {components['same_partition']}",
        f"components model as a dbt run: recursive CTE "
        f"{components['dbt_run_recursive_seconds']:.1f}s, iterative rounds "
        f"{components['dbt_run_iterative_seconds']:.1f}s",
    ]
    return ("\n" + " " * 17 + " ").join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="personagraph bench", description=__doc__)
    parser.add_argument("--people", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--work-dir", default=str(PROJECT_ROOT / "build" / "bench"))
    parser.add_argument("--json", default=str(PROJECT_ROOT / "build" / "bench_identity.json"))
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
    parser.add_argument(
        "--identity-only",
        action="store_true",
        help="only the identity layer: dbt build --select +int_identity_components (raw "
        "files, the staging it reads, the deterministic graph with stitching) in one dbt "
        "process; time per part from run_results.json",
    )
    args = parser.parse_args(argv)
    rows = bench(
        args.people, Path(args.work_dir), file_format=args.format, identity_only=args.identity_only
    )
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
