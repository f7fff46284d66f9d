"""Shared fixtures: one generated demo and one dbt build per test run.

The suite runs in as many worker processes as the machine has cores (pytest-xdist,
``-n auto --dist loadfile`` in pyproject.toml): each test module runs whole in one worker,
the slowest modules first (``SLOW_MODULES_FIRST``). The demo build is shared by all
workers: the first to need it builds it under a file lock in the run's temporary folder,
the others wait and read it.

Run in one process (``-n 0``), long jobs that wait mostly on other
processes (the demo build, the Spark parity builds, sqlfluff) start in the background when
the session starts, so that they overlap with the other tests instead of running one after
another. A test module offers such a job with a module-level
``start_in_background(tmp_path_factory, items)`` (items: its selected tests) that returns a
``concurrent.futures.Future``, or None when none of those tests needs the job; the
module's fixture takes the result with ``background_result(module_name)``, or runs the job
itself when none was started (always, in a worker process: a worker cannot know which
modules it will be given).
"""

from __future__ import annotations

import csv
import fcntl
import json
import os
import shutil
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from personagraph.dbt_runner import run_dbt
from personagraph.paths import PROJECT_ROOT


def in_worker() -> bool:
    """True in a pytest-xdist worker process."""
    return "PYTEST_XDIST_WORKER" in os.environ


# A worker's __main__ (execnet's) has neither a spec nor a file, which pyspark's Spark
# Connect module, imported by great_expectations when pyspark is installed, takes for a
# doctest run: it then calls sys.exit(0) on import. Give it a file name.
if in_worker() and not hasattr(sys.modules["__main__"], "__file__"):
    sys.modules["__main__"].__file__ = "xdist-worker"

DEMO_PEOPLE = 1000
DEMO_SEED = 20261125


@dataclass(frozen=True)
class Demo:
    root: Path
    raw_dir: Path
    truth_dir: Path
    db_path: Path
    build_log: str
    # dbt's own files of the demo build: logs/dbt.log (its own log folder) and a copy of
    # target/run_results.json (the target folder is the project's, whose manifest other
    # tests read), scanned for personal values in test_no_personal_data_in_logs.
    dbt_log_path: Path
    run_results_path: Path

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.db_path), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def truth(self, name: str) -> list[dict[str, str]]:
        with open(self.truth_dir / f"{name}.csv", newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    def summary(self) -> dict:
        return json.loads((self.truth_dir / "summary.json").read_text(encoding="utf-8"))


def build_demo(root: Path) -> Demo:
    """The generated demo and its full dbt build, in ``root``."""
    from personagraph.generator import GeneratorConfig, generate

    generate(GeneratorConfig(people=DEMO_PEOPLE, seed=DEMO_SEED), out_dir=root)
    db_path = root / "personagraph.duckdb"
    log_path = root / "build.log"
    # The full build, unit tests included: the other builds of the suite leave the unit
    # tests (fixed fixtures, the same result on any raw data) to this one. Its target
    # folder is the project's (test_validate reads its manifest); no other build of the
    # suite writes there.
    run_dbt(
        ["build", "--log-path", str(root / "logs")],
        root / "raw",
        db_path,
        log_path=log_path,
        quiet=True,
    )
    run_results_path = root / "target" / "run_results.json"
    run_results_path.parent.mkdir()
    shutil.copy2(PROJECT_ROOT / "target" / "run_results.json", run_results_path)
    return demo_in(root)


def demo_in(root: Path) -> Demo:
    """The demo that build_demo left in ``root``."""
    return Demo(
        root,
        root / "raw",
        root / "truth",
        root / "personagraph.duckdb",
        (root / "build.log").read_text(encoding="utf-8"),
        root / "logs" / "dbt.log",
        root / "target" / "run_results.json",
    )


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    if not in_worker():
        built = background_result(DEMO_JOB)
        return built if built is not None else build_demo(tmp_path_factory.mktemp("demo"))
    # The run's folder, shared by its workers (each worker's own is a folder inside it).
    shared = tmp_path_factory.getbasetemp().parent
    root, done = shared / "demo", shared / "demo.done"
    with open(shared / "demo.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(root, ignore_errors=True)  # a worker that failed half way
            root.mkdir()
            build_demo(root)
            done.touch()
    return demo_in(root)


# Futures of the background jobs, by test module name, until a fixture takes them.
_BACKGROUND: dict[str, Future] = {}
DEMO_JOB = "demo"


def in_background(function, *args) -> Future:
    """``function(*args)`` in a thread of its own (it waits on its own processes)."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="background")
    future = executor.submit(function, *args)
    executor.shutdown(wait=False)
    return future


def background_result(module_name: str) -> object | None:
    """The result of the job started for ``module_name``, or None if none was started.

    Re-raises the job's exception, so that the tests that need it fail as they would had
    the job run in the fixture.
    """
    future = _BACKGROUND.pop(module_name, None)
    return None if future is None else future.result()


@pytest.fixture(scope="session", autouse=True)
def _background_jobs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """Start the background jobs of the selected test modules that offer one."""
    if in_worker():
        yield
        return
    modules: dict[str, tuple[object, list[pytest.Item]]] = {}
    for item in request.session.items:
        module = getattr(item, "module", None)
        if module is not None and hasattr(module, "start_in_background"):
            modules.setdefault(module.__name__, (module, []))[1].append(item)
    if any("demo" in getattr(item, "fixturenames", ()) for item in request.session.items):
        _BACKGROUND[DEMO_JOB] = in_background(build_demo, tmp_path_factory.mktemp("demo"))
    for name, (module, items) in modules.items():
        future = module.start_in_background(tmp_path_factory, items)
        if future is not None:
            _BACKGROUND[name] = future
    yield
    # Jobs no test took (a session stopped early): wait for them, so that no process is
    # left running, and drop their results.
    for future in _BACKGROUND.values():
        future.exception()
    _BACKGROUND.clear()


#: Test modules by how long they take, the slowest first (measured: sqlfluff about 15
#: minutes in two processes, the Spark parity builds about 10): with each module whole in
#: one worker, a long module started last would leave the other workers idle at the end.
#: pytest-xdist hands each worker two modules to begin with, in this order (the first and
#: third to one worker, the second and fourth to the other), then one at a time. Modules not
#: named here follow in their usual order.
SLOW_MODULES_FIRST = (
    "test_lint.py",
    "test_spark_parity.py",
    "test_incremental_builds.py",
    "test_bad_inputs.py",
    "test_safe_builds.py",
    "test_raw_loading.py",
    "test_identity_scenarios.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the slowest modules first (a stable sort: each module's tests keep their order)."""
    rank = {name: position for position, name in enumerate(SLOW_MODULES_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
