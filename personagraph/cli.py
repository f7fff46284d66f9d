"""The ``personagraph`` command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _cmd_generate(args: argparse.Namespace) -> int:
    from personagraph.generator import GeneratorConfig, generate

    config = GeneratorConfig(people=args.people, seed=args.seed)
    summary = generate(config, out_dir=Path(args.out), file_format=args.format)
    print(summary.render())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="personagraph", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="write dirty multi-source demo data with ground truth")
    gen.add_argument("--people", type=int, default=1000)
    gen.add_argument("--seed", type=int, default=42)
    gen.add_argument("--out", default="data/demo", help="folder; raw/ and truth/ go inside it")
    gen.add_argument("--format", choices=["csv", "parquet"], default="csv")
    gen.set_defaults(func=_cmd_generate)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
