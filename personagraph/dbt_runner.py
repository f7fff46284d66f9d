"""Run dbt for this project with the environment the contract describes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from personagraph.paths import PROJECT_ROOT


class DbtError(RuntimeError):
    """dbt exited with an error."""


def dbt_executable() -> str:
    """The dbt of this environment (beside the running Python), else the one on PATH."""
    beside = Path(sys.executable).parent / "dbt"
    if beside.exists():
        return str(beside)
    found = shutil.which("dbt")
    if not found:
        raise DbtError("dbt is not installed in this environment: pip install -e .")
    return found


def dbt_env(raw_dir: Path, db_path: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for a dbt call: the contract's variables, no usage statistics."""
    env = dict(os.environ)
    env.update(
        {
            "PERSONAGRAPH_RAW_DIR": str(raw_dir),
            "PERSONAGRAPH_DB": str(db_path),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        }
    )
    env.update(extra or {})
    return env


def run_dbt(
    args: list[str],
    raw_dir: Path,
    db_path: Path,
    *,
    log_path: Path | None = None,
    quiet: bool = False,
    extra_env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``dbt <args>`` in the project folder; raise DbtError when it fails."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    command = [dbt_executable(), *args, "--project-dir", str(PROJECT_ROOT)]
    completed = subprocess.run(
        command,
        cwd=PROJECT_ROOT,
        env=dbt_env(raw_dir, db_path, extra_env),
        capture_output=True,
        text=True,
        check=False,
    )
    output = completed.stdout + completed.stderr
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_path.write_text(output, encoding="utf-8")
    if not quiet:
        sys.stdout.write(output)
    if completed.returncode != 0:
        tail = "\n".join(output.strip().splitlines()[-40:])
        raise DbtError(f"dbt {' '.join(args)} failed (exit {completed.returncode}):\n{tail}")
    return completed


def build_with_swap(
    raw_dir: Path,
    db_path: Path,
    dbt_args: list[str] | None = None,
    *,
    quiet: bool = False,
    log_path: Path | None = None,
) -> None:
    """Build into a fresh file beside the database and swap it in atomically.

    Readers of ``db_path`` (BI tools) are never blocked by the build's write lock, and a
    build that fails half way leaves the previous database as it was. The previous
    database is copied first so that history (``person_id_changes``) carries over.
    """
    building = db_path.with_name(db_path.name + ".building")
    for leftover in (building, building.with_name(building.name + ".wal")):
        leftover.unlink(missing_ok=True)
    if db_path.exists():
        shutil.copy2(db_path, building)
    try:
        run_dbt(["build", *(dbt_args or [])], raw_dir, building, quiet=quiet, log_path=log_path)
    except BaseException:
        building.unlink(missing_ok=True)
        building.with_name(building.name + ".wal").unlink(missing_ok=True)
        raise
    os.replace(building, db_path)
