"""Pinned match parameters: `personagraph pin-parameters` writes what a build estimated to
the match_parameters seed; a build with the seed filled uses those numbers as they are
and gives exactly the same persons, and different pinned numbers change the links."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import duckdb

from personagraph.dbt_runner import dbt_env, dbt_executable
from personagraph.parameters import COLUMNS, pin_parameters
from personagraph.paths import PROJECT_ROOT

PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests")


def _project_copy(folder: Path) -> Path:
    """The dbt project's own files in a folder of their own, so the test can fill its seed
    without touching the repository's."""
    project = folder / "project"
    project.mkdir()
    for part in PROJECT_PARTS:
        source = PROJECT_ROOT / part
        if source.is_dir():
            shutil.copytree(source, project / part)
        else:
            shutil.copyfile(source, project / part)
    return project


def _rebuild_from_seed(project: Path, db_path: Path, raw_dir: Path) -> None:
    env = dbt_env(raw_dir, db_path, {"DBT_PROFILES_DIR": str(project)})
    seeded = subprocess.run(
        [dbt_executable(), "seed", "--select", "match_parameters", "--project-dir", str(project),
         "--target-path", str(project / "target"), "--log-path", str(project / "logs")],
        cwd=project, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert seeded.returncode == 0, seeded.stdout[-3000:]
    completed = subprocess.run(
        [dbt_executable(), "run", "--select", "match_parameters+", "--vars",
         "{raw__skip_load: true}", "--project-dir", str(project),
         "--target-path", str(project / "target"), "--log-path", str(project / "logs")],
        cwd=project, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-3000:]


def _persons(db_path: Path) -> set[tuple[str, str, str]]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return set(
            con.execute(
                "select person_id, source_table, source_record_id from marts.person_source_records"
            ).fetchall()
        )


def _parameters(db_path: Path) -> dict[tuple[str, int], tuple[float, float, str]]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.execute(
            "select comparison, comparison_level, m_probability, u_probability,"
            " parameter_source from identity.int_match_parameters"
        ).fetchall()
    return {(c, int(level)): (m, u, source) for c, level, m, u, source in rows}


def _accepted_links(db_path: Path) -> int:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(
            "select count(*) from identity.int_match_group_links where is_accepted"
        ).fetchone()[0]


def test_pinned_parameters_reproduce_the_estimated_build(demo, tmp_path):
    estimated = _parameters(demo.db_path)
    assert {source for _, _, source in estimated.values()} == {"estimated"}
    assert _accepted_links(demo.db_path) > 0, "the demo should have probabilistic links"

    project = _project_copy(tmp_path)
    db_path = tmp_path / "db" / demo.db_path.name  # same file name: DuckDB's catalog name
    db_path.parent.mkdir()
    shutil.copyfile(demo.db_path, db_path)
    rows = pin_parameters(db_path, project / "seeds" / "match_parameters.csv")
    assert rows == len(estimated)

    _rebuild_from_seed(project, db_path, demo.raw_dir)
    pinned = _parameters(db_path)
    assert {source for _, _, source in pinned.values()} == {"pinned"}
    assert {key: value[:2] for key, value in pinned.items()} == {
        key: value[:2] for key, value in estimated.items()
    }
    assert _persons(db_path) == _persons(demo.db_path)


def test_other_pinned_parameters_change_the_links(demo, tmp_path):
    project = _project_copy(tmp_path)
    db_path = tmp_path / "db" / demo.db_path.name
    db_path.parent.mkdir()
    shutil.copyfile(demo.db_path, db_path)
    seed = project / "seeds" / "match_parameters.csv"
    pin_parameters(db_path, seed)
    # A world where agreeing names and dates of birth prove nothing: m = u at every level.
    with open(seed, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["comparison"] in ("name", "date_of_birth"):
            row["m_probability"] = row["u_probability"]
    with open(seed, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    _rebuild_from_seed(project, db_path, demo.raw_dir)
    assert _accepted_links(db_path) < _accepted_links(demo.db_path)
    assert _persons(db_path) != _persons(demo.db_path)
