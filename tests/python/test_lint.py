"""Style gates: ruff for Python, sqlfluff with the dbt templater for SQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from personagraph.paths import PROJECT_ROOT

BIN = Path(sys.executable).parent


def run(command: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=PROJECT_ROOT, capture_output=True, text=True, env=env, check=False
    )


def test_ruff_is_clean() -> None:
    result = run([str(BIN / "ruff"), "check", "personagraph", "tests", "benchmarks"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    result = run([str(BIN / "ruff"), "format", "--check", "personagraph", "tests", "benchmarks"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_sqlfluff_with_the_dbt_templater_is_clean(tmp_path: Path) -> None:
    env = dict(os.environ)
    # The dbt templater opens the database: point it at memory so it neither locks nor
    # creates the real file.
    env.update(
        {
            "PERSONAGRAPH_DB": ":memory:",
            "PERSONAGRAPH_RAW_DIR": str(tmp_path),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
    )
    result = run([str(BIN / "sqlfluff"), "lint", "--processes", "2", "models", "analyses"], env=env)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
