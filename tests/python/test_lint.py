"""Style gates: ruff for Python, sqlfluff with the dbt templater for SQL."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import Future
from pathlib import Path

from conftest import background_result, in_background

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


def sqlfluff_lint(work_dir: Path) -> subprocess.CompletedProcess:
    """sqlfluff with the dbt templater over every model and analysis, in one call."""
    env = dict(os.environ)
    # The dbt templater opens the database: point it at memory so it neither locks nor
    # creates the real file. Its own target and log folders: it may run while other tests
    # run dbt with the project's.
    env.update(
        {
            "PERSONAGRAPH_DB": ":memory:",
            "PERSONAGRAPH_RAW_DIR": str(work_dir / "raw"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_TARGET_PATH": str(work_dir / "target"),
            "DBT_LOG_PATH": str(work_dir / "logs"),
        }
    )
    (work_dir / "raw").mkdir(parents=True, exist_ok=True)
    return run([str(BIN / "sqlfluff"), "lint", "--processes", "2", "models", "analyses"], env=env)


def start_in_background(tmp_path_factory, items) -> Future | None:
    """The sqlfluff run (minutes of CPU, in its own processes) starts with the session."""
    if not any(item.name == "test_sqlfluff_with_the_dbt_templater_is_clean" for item in items):
        return None
    work_dir = tmp_path_factory.mktemp("sqlfluff")
    return in_background(sqlfluff_lint, work_dir)


def test_sqlfluff_with_the_dbt_templater_is_clean(tmp_path: Path) -> None:
    result = background_result(__name__) or sqlfluff_lint(tmp_path)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
