"""Run dbt for this project with the environment the contract describes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
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


def _wal(path: Path) -> Path:
    """DuckDB's write-ahead log beside a database file."""
    return path.with_name(path.name + ".wal")


def _fsync(path: Path) -> None:
    """Flush a file, or a folder's list of names, to disk (a no-op where unsupported)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) * path.is_dir()))
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


@contextmanager
def _build_lock(db_path: Path) -> Iterator[None]:
    """One swapping build per database at a time: two would share the ``.building`` file.

    The lock (``<db>.build.lock``, flock) is released by the system when the holder dies, so
    a killed build never blocks the next one.
    """
    try:
        import fcntl
    except ImportError:  # Windows: no flock; builds must not overlap
        yield
        return
    lock_path = db_path.with_name(db_path.name + ".build.lock")
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DbtError(
                f"another build of {db_path} is running (it holds {lock_path}); "
                "wait for it to finish"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_with_swap(
    raw_dir: Path,
    db_path: Path,
    dbt_args: list[str] | None = None,
    *,
    quiet: bool = False,
    log_path: Path | None = None,
) -> None:
    """Build into a fresh file beside the database and swap it in atomically.

    Readers of ``db_path`` (BI tools) are never blocked by the build's write lock: a reader
    that holds a connection keeps reading the snapshot it opened, and new connections see
    the new build once it is swapped in. A build that fails or is killed half way leaves
    the previous database as it was (a killed build leaves ``<db>.building`` behind; the
    next build discards it). The previous database is copied first so that history
    (``person_id_changes``) carries over. The new file is complete on disk (write-ahead log
    checkpointed, fsync) before ``os.replace`` puts it in place.
    """
    building = db_path.with_name(db_path.name + ".building")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(db_path):
        for leftover in (building, _wal(building)):
            leftover.unlink(missing_ok=True)
        if db_path.exists():
            shutil.copy2(db_path, building)
            if _wal(db_path).exists():  # not closed cleanly: its log holds the last writes
                shutil.copy2(_wal(db_path), _wal(building))
        try:
            run_dbt(["build", *(dbt_args or [])], raw_dir, building, quiet=quiet, log_path=log_path)
            if _wal(building).exists():
                import duckdb

                with duckdb.connect(str(building)) as con:
                    con.execute("checkpoint")
            _fsync(building)
        except BaseException:
            building.unlink(missing_ok=True)
            _wal(building).unlink(missing_ok=True)
            raise
        # A log left beside the old file belongs to it, not to the new one.
        _wal(db_path).unlink(missing_ok=True)
        os.replace(building, db_path)
        _fsync(db_path.parent)
