"""Headline figures read from a built database (no personal values are printed)."""

from __future__ import annotations

from pathlib import Path

import duckdb


def reconciliation_rows(db_path: Path) -> list[tuple]:
    """(table, status, raw, used, quarantined, duplicates removed, balanced) per raw table."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(
            """
            select source_table, load_status, raw_rows, used_rows, quarantined_rows,
                   exact_copies_removed, is_balanced
            from quarantine.raw_reconciliation
            order by source_table
            """
        ).fetchall()


def quarantine_rules(db_path: Path) -> list[tuple[str, str, int]]:
    """(table, rule, rows) for every quarantine rule that fired."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables"
                " where table_schema = 'quarantine' and suffix(table_name, '_quarantine')"
                " order by table_name"
            ).fetchall()
        ]
        union = " union all ".join(
            f"select source_table, quarantine_rule from quarantine.{table}" for table in tables
        )
        if not union:
            return []
        return con.execute(
            f"select source_table, quarantine_rule, count(*) from ({union}) "
            "group by all order by 1, 3 desc, 2"
        ).fetchall()


def render_table(headers: list[str], rows: list[tuple]) -> str:
    """A plain text table."""
    cells = [headers, *[[str(value) for value in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for index, row in enumerate(cells):
        lines.append(
            "  ".join(
                value.rjust(widths[i])
                if index and value.lstrip("-").isdigit()
                else value.ljust(widths[i])
                for i, value in enumerate(row)
            )
        )
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def identity_figures(db_path: Path) -> list[tuple[str, str]]:
    """Persons, records, the largest person and the guards that fired."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        records, persons = con.execute(
            "select count(*), count(distinct person_id) from marts.person_source_records"
        ).fetchone()
        largest = con.execute(
            "select count(*) from marts.person_source_records group by person_id"
            " order by 1 desc limit 1"
        ).fetchone()
        rules = con.execute(
            "select assignment_rule, count(*) from marts.person_source_records"
            " group by 1 order by 2 desc"
        ).fetchall()
        guards = con.execute(
            "select guard, count(*) from identity.int_identity_guard_log group by 1 order by 1"
        ).fetchall()
    rows = [
        ("records with a person", f"{records:,}"),
        ("persons", f"{persons:,}"),
        ("records in the largest person", f"{largest[0] if largest else 0:,}"),
    ]
    rows += [(f"records placed by {rule}", f"{count:,}") for rule, count in rules]
    rows += [(f"guard fired: {guard}", f"{count:,}") for guard, count in guards]
    return rows


def headline(db_path: Path) -> str:
    """The figures the demo prints after a build."""
    rows = reconciliation_rows(db_path)
    total_raw = sum(row[2] for row in rows)
    total_used = sum(row[3] for row in rows)
    total_quarantined = sum(row[4] for row in rows)
    total_dupes = sum(row[5] for row in rows)
    balanced = all(row[6] for row in rows)
    parts = [
        render_table(
            ["raw table", "status", "raw rows", "used", "quarantined", "duplicates", "balanced"],
            rows,
        ),
        "",
        f"raw rows {total_raw:,} = used {total_used:,} + quarantined {total_quarantined:,}"
        f" + exact duplicates removed {total_dupes:,}: "
        + ("balanced" if balanced else "NOT BALANCED"),
        "",
        render_table(["raw table", "quarantine rule", "rows"], quarantine_rules(db_path)),
        "",
        render_table(["identity", "value"], identity_figures(db_path)),
    ]
    return "\n".join(parts)
