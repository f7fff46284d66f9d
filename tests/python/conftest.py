"""Shared fixtures: one generated demo and one dbt build per test run."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from personagraph.dbt_runner import run_dbt

DEMO_PEOPLE = 1000
DEMO_SEED = 20261125


@dataclass(frozen=True)
class Demo:
    root: Path
    raw_dir: Path
    truth_dir: Path
    db_path: Path
    build_log: str

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.db_path), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def truth(self, name: str) -> list[dict[str, str]]:
        with open(self.truth_dir / f"{name}.csv", newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    def summary(self) -> dict:
        return json.loads((self.truth_dir / "summary.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    from personagraph.generator import GeneratorConfig, generate

    root = tmp_path_factory.mktemp("demo")
    generate(GeneratorConfig(people=DEMO_PEOPLE, seed=DEMO_SEED), out_dir=root)
    db_path = root / "personagraph.duckdb"
    log_path = root / "build.log"
    run_dbt(["build"], root / "raw", db_path, log_path=log_path, quiet=True)
    return Demo(root, root / "raw", root / "truth", db_path, log_path.read_text(encoding="utf-8"))
