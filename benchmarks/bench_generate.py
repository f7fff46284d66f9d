"""Benchmark the demo data generator at several sizes, each in its own subprocess.

    python benchmarks/bench_generate.py --people 10000 100000 1000000 [--format csv]
        [--seed 42] [--out-root DIR] [--keep] [--json build/bench_generate.json]

For every size: wall seconds, peak RSS of the child (MiB), rows written (raw tables),
rows per second and the ratio of seconds to the smallest size's seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, sys
from pathlib import Path
from personagraph.generator import GeneratorConfig, generate
people, seed, out, file_format = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
summary = generate(GeneratorConfig(people=people, seed=seed), Path(out), file_format=file_format)
print(json.dumps({"rows": summary.total_rows, "truth": summary.truth}))
"""


def run_one(people: int, seed: int, out: Path, file_format: str) -> dict:
    """Generate in a fresh interpreter. A small wrapper process reads
    resource.getrusage(RUSAGE_CHILDREN).ru_maxrss after its only child (the generator) ends,
    so each size reports its own peak (KiB on Linux, bytes on macOS)."""
    wrapper = (
        "import resource, subprocess, sys, json\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "sys.stderr.write(p.stderr)\n"
        "r = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps({'rc': p.returncode, 'stdout': p.stdout, 'maxrss': r}))\n"
    )
    started = time.perf_counter()
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            wrapper,
            sys.executable,
            "-c",
            CHILD,
            str(people),
            str(seed),
            str(out),
            file_format,
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    )
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        raise RuntimeError(f"{people} people failed:\n{completed.stderr}")
    outer = json.loads(completed.stdout.strip().splitlines()[-1])
    if outer["rc"] != 0:
        raise RuntimeError(f"{people} people failed:\n{completed.stderr}")
    result = json.loads(outer["stdout"].strip().splitlines()[-1])
    maxrss = outer["maxrss"]
    peak_mib = maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024
    return {
        "people": people,
        "seconds": round(seconds, 2),
        "peak_rss_mib": round(peak_mib, 1),
        "rows": result["rows"],
        "rows_per_second": round(result["rows"] / seconds),
        "truth_rows": result["truth"],
        "bytes_on_disk": sum(f.stat().st_size for f in out.rglob("*") if f.is_file()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
    parser.add_argument("--out-root", type=Path, default=None, help="where to write (temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    parser.add_argument("--json", type=Path, default=PROJECT_ROOT / "build" / "bench_generate.json")
    args = parser.parse_args(argv)

    root = args.out_root or Path(tempfile.mkdtemp(prefix="bench_generate_"))
    root.mkdir(parents=True, exist_ok=True)
    results = []
    print(
        f"{'people':>10}{'seconds':>10}{'peak MiB':>10}{'rows':>14}{'rows/s':>12}{'ratio':>8}",
        flush=True,
    )
    try:
        for people in sorted(args.people):
            out = root / f"people_{people}"
            shutil.rmtree(out, ignore_errors=True)
            result = run_one(people, args.seed, out, args.format)
            smallest = results[0]["seconds"] if results else result["seconds"]
            result["ratio_to_smallest"] = round(result["seconds"] / smallest, 2)
            results.append(result)
            print(
                f"{people:>10,}{result['seconds']:>10.1f}{result['peak_rss_mib']:>10.0f}"
                f"{result['rows']:>14,}{result['rows_per_second']:>12,}"
                f"{result['ratio_to_smallest']:>8.1f}",
                flush=True,
            )
            if not args.keep:
                shutil.rmtree(out, ignore_errors=True)
    finally:
        if not args.keep and args.out_root is None:
            shutil.rmtree(root, ignore_errors=True)
    report = {
        "benchmark": "generate",
        "format": args.format,
        "seed": args.seed,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "peak_rss_source": "resource.getrusage(RUSAGE_CHILDREN).ru_maxrss of the generating child",
        "results": results,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
