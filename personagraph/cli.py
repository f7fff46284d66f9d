"""The ``personagraph`` command line: generate demo data, build, and report."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import asdict
from pathlib import Path

from personagraph import paths


def _parse_rates(pairs: list[str]) -> dict[str, float]:
    from personagraph.generator import SITUATIONS

    rates: dict[str, float] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or name not in SITUATIONS:
            known = ", ".join(SITUATIONS)
            raise SystemExit(f"--set expects situation=rate with a known situation ({known})")
        try:
            rates[name] = float(value)
        except ValueError:
            raise SystemExit(f"--set {pair}: the rate is not a number") from None
    return rates


def _cmd_generate(args: argparse.Namespace) -> int:
    from personagraph.generator import DEFAULT_RATES, SITUATIONS, GeneratorConfig, generate

    if args.list_situations:
        print(f"{'situation':<26}{'default':>9}  meaning")
        for name, meaning in SITUATIONS.items():
            print(f"{name:<26}{DEFAULT_RATES[name]:>9.4g}  {meaning}")
        return 0
    rates = dict.fromkeys(SITUATIONS, 0.0) if args.off else {}
    rates.update(_parse_rates(args.set or []))
    try:
        config = GeneratorConfig(people=args.people, seed=args.seed).with_rates(**rates)
        if args.chunk_people:
            config.chunk_people = args.chunk_people
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    summary = generate(
        config, out_dir=Path(args.out), file_format=args.format, write_truth=not args.no_truth
    )
    print(summary.render())
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    from personagraph.dbt_runner import DbtError, build_with_swap
    from personagraph.figures import headline

    raw_dir, db_path = paths.raw_dir(), paths.db_path()
    started = time.perf_counter()
    try:
        build_with_swap(raw_dir, db_path, args.dbt_args, quiet=args.quiet)
    except DbtError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"\nbuilt {db_path} from {raw_dir} in {time.perf_counter() - started:.1f} s\n")
    print(headline(db_path))
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from personagraph.dbt_runner import DbtError, build_with_swap
    from personagraph.figures import headline
    from personagraph.generator import GeneratorConfig, generate

    out_dir = paths.DEMO_DIR
    raw_dir, db_path = out_dir / "raw", paths.db_path()
    started = time.perf_counter()
    print(f"1/3 generating {args.people:,} people (seed {args.seed}) into {out_dir}")
    summary = generate(GeneratorConfig(people=args.people, seed=args.seed), out_dir=out_dir)
    print(summary.render())
    print(f"\n2/3 dbt build into {db_path}")
    try:
        build_with_swap(
            raw_dir, db_path, quiet=True, log_path=paths.PROJECT_ROOT / "logs" / "demo_build.log"
        )
    except DbtError as error:
        print(error, file=sys.stderr)
        return 1
    print(headline(db_path))
    from personagraph.evaluate import evaluate

    print("\nagainst the generated ground truth:")
    print(evaluate(db_path, out_dir / "truth").render())
    from personagraph.validate import DEFAULT_REPORT_DIR, validate

    print("\n3/3 quality gates (Great Expectations)")
    outcome = validate(
        db_path,
        DEFAULT_REPORT_DIR,
        baseline_label=f"demo --people {args.people} --seed {args.seed}",
    )
    print(outcome.render())
    print(
        f"\ndone in {time.perf_counter() - started:.1f} s\n"
        f"  raw files:      {raw_dir}\n"
        f"  ground truth:   {out_dir / 'truth'}\n"
        f"  database:       {db_path} (schemas marts, identity, staging, quarantine)\n"
        f"  build log:      {paths.PROJECT_ROOT / 'logs' / 'demo_build.log'}\n"
        f"  quality gates:  {outcome.report_path}" + ("" if outcome.success else " (FAILED)")
    )
    return 0 if outcome.success else 1


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from personagraph.evaluate import evaluate, write_json

    db_path = Path(args.db) if args.db else paths.db_path()
    try:
        evaluation = evaluate(db_path, Path(args.truth))
    except FileNotFoundError as error:
        print(f"personagraph evaluate: {error}", file=sys.stderr)
        return 2
    print(evaluation.render())
    figures = asdict(evaluation)
    if args.sweep:
        from personagraph.evaluate import render_sweep, sweep

        results = sweep(db_path, Path(args.truth))
        print("\nprobabilistic matching: threshold sweep (each a rebuild of the links)")
        print(render_sweep(results))
        figures["sweep"] = results
    if args.json:
        write_json(figures, Path(args.json))
        print(f"\nwrote {args.json}")
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from personagraph.bench import main as bench_main

    return bench_main([arg for arg in args.bench_args if arg != "--"])


def _cmd_pin_parameters(args: argparse.Namespace) -> int:
    from personagraph.parameters import SEED_PATH, pin_parameters, unpin_parameters

    if args.unpin:
        unpin_parameters()
        print(f"emptied {SEED_PATH}: builds estimate the match parameters from the data again")
        return 0
    db_path = Path(args.db) if args.db else paths.db_path()
    count = pin_parameters(db_path)
    print(
        f"wrote {count} parameter rows from {db_path} to {SEED_PATH}; the next build uses them"
        " as they are (commit the file to pin them for everyone)"
    )
    return 0


def _cmd_explain(args: argparse.Namespace) -> int:
    from personagraph.explain import explain_record

    print(explain_record(paths.db_path(), args.source_table, args.record_id, show_values=args.show))
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    import duckdb

    from personagraph.validate import DEFAULT_REPORT_DIR, GX_DIR, validate

    db_path = Path(args.db) if args.db else paths.db_path()
    try:
        outcome = validate(
            db_path,
            Path(args.report) if args.report else DEFAULT_REPORT_DIR,
            gx_dir=Path(args.gx_dir) if args.gx_dir else GX_DIR,
            data_docs=not args.no_data_docs,
            reset_baseline=args.reset_baseline,
        )
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 2
    except duckdb.IOException as error:
        print(f"cannot open {db_path} read-only (is a build writing it?): {error}", file=sys.stderr)
        return 2
    print(outcome.render())
    return 0 if outcome.success else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="personagraph", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="write dirty multi-source demo data with ground truth")
    gen.add_argument("--people", type=int, default=1000)
    gen.add_argument("--seed", type=int, default=42)
    gen.add_argument("--out", default=str(paths.DEMO_DIR), help="folder; raw/ and truth/ go inside")
    gen.add_argument("--format", choices=["csv", "parquet"], default="csv")
    gen.add_argument(
        "--set",
        action="append",
        metavar="SITUATION=RATE",
        help="rate of one situation (0 switches it off); repeat for several",
    )
    gen.add_argument(
        "--off", action="store_true", help="switch every situation off (clean data), before --set"
    )
    gen.add_argument(
        "--list-situations", action="store_true", help="list situations, defaults and exit"
    )
    gen.add_argument("--chunk-people", type=int, default=0, help="people per written chunk")
    gen.add_argument(
        "--no-truth",
        action="store_true",
        help="write the raw tables only, no ground truth (for benchmarks that never evaluate)",
    )
    gen.set_defaults(func=_cmd_generate)

    build = sub.add_parser(
        "build",
        help="dbt build from PERSONAGRAPH_RAW_DIR into a fresh file, swapped onto PERSONAGRAPH_DB",
    )
    build.add_argument("--quiet", action="store_true", help="do not echo dbt's output")
    build.add_argument("dbt_args", nargs="*", help="extra dbt arguments, after --")
    build.set_defaults(func=_cmd_build)

    demo = sub.add_parser("demo", help="generate demo data, build it and print headline figures")
    demo.add_argument("--people", type=int, default=1000)
    demo.add_argument("--seed", type=int, default=42)
    demo.set_defaults(func=_cmd_demo)

    evaluate = sub.add_parser("evaluate", help="compare built persons with a ground truth folder")
    evaluate.add_argument("--truth", default=str(paths.DEFAULT_TRUTH_DIR), help="truth folder")
    evaluate.add_argument("--db", help="database (default PERSONAGRAPH_DB)")
    evaluate.add_argument("--json", help="also write the figures as JSON to this file")
    evaluate.add_argument(
        "--sweep",
        action="store_true",
        help="also rebuild the probabilistic links at thresholds 0.5, 0.9, 0.99 with both"
        " clustering modes (connected, best_match) on copies of the database and score each",
    )
    evaluate.set_defaults(func=_cmd_evaluate)

    bench = sub.add_parser("bench", help="time generation, build and stitching at several sizes")
    bench.add_argument("bench_args", nargs=argparse.REMAINDER, help="see personagraph bench -- -h")
    bench.set_defaults(func=_cmd_bench)

    pin = sub.add_parser(
        "pin-parameters",
        help="write the match parameters a build estimated to seeds/match_parameters.csv",
    )
    pin.add_argument("--db", help="database (default PERSONAGRAPH_DB)")
    pin.add_argument("--unpin", action="store_true", help="empty the seed: estimate again")
    pin.set_defaults(func=_cmd_pin_parameters)

    explain = sub.add_parser("explain", help="why a record belongs to its person")
    explain.add_argument("source_table")
    explain.add_argument("record_id")
    explain.add_argument("--show", action="store_true", help="show emails and phones unmasked")
    explain.set_defaults(func=_cmd_explain)

    validate = sub.add_parser(
        "validate",
        help="Great Expectations quality gates on the built tables; fails when one fails",
    )
    validate.add_argument("--db", help="database (default PERSONAGRAPH_DB), opened read-only")
    validate.add_argument("--report", help="report folder (default build/validation)")
    validate.add_argument(
        "--reset-baseline",
        action="store_true",
        help="skip the drift check and record this build as the new baseline if it passes",
    )
    validate.add_argument("--no-data-docs", action="store_true", help="do not build GX Data Docs")
    validate.add_argument("--gx-dir", help="GX project folder (default gx/ in the project)")
    validate.set_defaults(func=_cmd_validate)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
