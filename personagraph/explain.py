"""Explain why a record belongs to its person: the path from the record's identifier up
the person's spanning tree to the anchor identifier the person id derives from."""

from __future__ import annotations

from pathlib import Path

import duckdb

from personagraph.privacy import mask_identifier


def identifier_path_sql() -> str:
    """SQL walking ``marts.identity_explanations`` from one identifier (parameters: type,
    value) up to its person's anchor, one row per step, nearest first."""
    return """
        with recursive path as (
            select 0 as step, person_id, identifier_type, identifier_value, depth,
                parent_identifier_type, parent_identifier_value, edge_rule, edge_strength,
                evidence_record, match_evidence
            from marts.identity_explanations
            where identifier_type = ? and identifier_value = ?
            union all
            select path.step + 1, parent.person_id, parent.identifier_type,
                parent.identifier_value, parent.depth, parent.parent_identifier_type,
                parent.parent_identifier_value, parent.edge_rule, parent.edge_strength,
                parent.evidence_record, parent.match_evidence
            from path
            inner join marts.identity_explanations as parent
                on path.parent_identifier_type = parent.identifier_type
                and path.parent_identifier_value = parent.identifier_value
                and path.person_id = parent.person_id
            where path.step < 10000
        )
        select step, identifier_type, identifier_value, depth, edge_rule, edge_strength,
            evidence_record, match_evidence
        from path order by step
    """


def explain_record(
    db_path: Path, source_table: str, record_id: str, show_values: bool = False
) -> str:
    """A readable explanation of one record's person."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        found = con.execute(
            "select person_id, assignment_rule, linked_identifier_type, linked_identifier_value"
            " from identity.int_identity_record_persons"
            " where source_table = ? and source_record_id = ?",
            [source_table, record_id],
        ).fetchone()
        if found is None:
            return f"{source_table}:{record_id} is not a usable record (quarantined or unknown)."
        person_id, rule, linked_type, linked_value = found
        lines = [
            f"{source_table}:{record_id} belongs to {person_id} by rule {rule}"
            + (
                f" through {linked_type} {mask_identifier(linked_type, linked_value, show_values)}"
                if linked_type
                else ""
            )
        ]
        if linked_type is None:
            lines.append("  the record carries no usable identifier: it is a person of its own")
            return "\n".join(lines)
        steps = con.execute(identifier_path_sql(), [linked_type, linked_value]).fetchall()
        for step, id_type, id_value, depth, edge_rule, strength, evidence, weights in steps:
            shown = mask_identifier(id_type, id_value, show_values)
            if depth == 0 and edge_rule is None:
                lines.append(f"  {'  ' * step}{id_type} {shown}: the person's anchor")
            else:
                lines.append(
                    f"  {'  ' * step}{id_type} {shown} <- {edge_rule} ({strength}), "
                    f"evidence {evidence}"
                )
                if weights:
                    lines.append(f"  {'  ' * step}  weights: {weights}")
        return "\n".join(lines)
