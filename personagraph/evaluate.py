"""Compare built person clusters with a ground truth, record by record.

The truth is a folder in the generator's format: ``records.csv`` with source_table,
source_record_id and person_id (the true person). Only records present in both the
built ``marts.person_source_records`` and the truth are compared; how many were left out
on either side is reported.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from personagraph.privacy import mask_identifier

#: Record frames scored on their own besides all records: the person frame holds the
#: records that describe a person (what probabilistic matching compares); the person frame
#: with evidence leaves out records that carry nothing to link them by but a name (a chat
#: ticket signed "Edward Martin", a cash sale in a store): no method can place those
#: without guessing, so it shows how much of the recall is left to the evidence there is;
#: the device frame holds behaviour records, placed through cookies and devices.
PERSON_TABLES = (
    "crm_contacts",
    "shop_customers",
    "loyalty_members",
    "support_tickets",
    "shop_orders",
)
FRAMES: dict[str, tuple[tuple[str, ...], bool]] = {
    "person records": (PERSON_TABLES, False),
    "person records with evidence": (PERSON_TABLES, True),
    "device records": (("web_events", "app_events"), False),
}

#: The values that can join two person records by exact agreement: a chain of records of
#: one true person, each sharing one of these with the next, joins them all. Pairs of the
#: same true person that no such chain joins can only be linked on names (or not at all),
#: so the share of pairs that one joins bounds the recall of linkage on exact values; it
#: tells how much of a recall gap is the evidence's, not the matcher's. Names are left out
#: on purpose (two people share them); postcode and date of birth alone are in, which
#: makes the bound generous.
SHARED_VALUES_SQL = """
    create temp table shared_values as
    select source_table, source_record_id, value_kind, shared_value from (
        select source_table, source_record_id, 'email' as value_kind, email as shared_value
        from built.identity.int_match_person_records
        union all
        select source_table, source_record_id, 'phone', phone
        from built.identity.int_match_person_records
        union all
        select source_table, source_record_id, 'date_of_birth', cast(date_of_birth as varchar)
        from built.identity.int_match_person_records
        union all
        select source_table, source_record_id, 'address', address
        from built.identity.int_match_person_records
        union all
        select source_table, source_record_id, 'postcode', postcode
        from built.identity.int_match_person_records
        union all
        select source_table, source_record_id, identifier_type, identifier_value
        from built.identity.int_identifier_occurrences
        where identifier_class = 'known' and identifier_value != source_record_id
    )
    where shared_value is not null
"""

#: A record has evidence beyond a name when it holds one of the shared values above: its
#: person record holds a date of birth, an address, a postcode, an email or a phone, or
#: the record carries a known identifier (not a cookie or device: identifier_class
#: 'known') other than its own record id, which is on no other record.
EVIDENCE_SQL = """
    create temp table evidence as
    select distinct source_table, source_record_id from shared_values
"""

#: A device that is not attached to a known person is a profile of its own: its records
#: form one predicted person whatever they hold (a shared family tablet's profile holds
#: the events of the whole family). Pairwise precision is also scored apart for the
#: persons that stitching and matching built and for these profiles, by the reason the
#: device stayed unattached (int_identity_device_assignments.assignment).
DEVICE_PROFILE_ASSIGNMENTS: tuple[str, ...] = (
    "anonymous_profile",
    "unconfirmed_tie",
    "shared_by_known_people",
)
STITCHED_PERSONS = "persons built from known identifiers and matching"

#: The evaluator's default threshold sweep and clustering modes (vars of the dbt project).
SWEEP_THRESHOLDS: tuple[float, ...] = (0.5, 0.9, 0.99)
SWEEP_MODES: tuple[str, ...] = ("connected", "best_match")


@dataclass
class Evaluation:
    """Clustering quality against the truth."""

    records_compared: int
    records_only_built: int
    records_only_truth: int
    predicted_persons: int
    true_persons: int
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    true_positive_pairs: int
    predicted_pairs: int
    true_pairs: int
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    over_merged_persons: int
    split_true_persons: int
    largest_wrong_merge: dict = field(default_factory=dict)
    #: pairwise precision, recall and F1 per frame (see FRAMES)
    frames: dict = field(default_factory=dict)
    #: pairwise precision (and predicted pairs) within the persons that stitching and
    #: matching built, and within devices' own profiles by why the device stayed
    #: unattached (see DEVICE_PROFILE_ASSIGNMENTS)
    precision_by_person_kind: dict = field(default_factory=dict)
    #: person records only: the true pairs that a chain of shared exact values joins (see
    #: SHARED_VALUES_SQL), their share of all true pairs (the recall bound of exact-value
    #: linkage) and the recall of the build within them
    shared_value_bound: dict = field(default_factory=dict)

    def render(self) -> str:
        rows = [
            ("records compared", f"{self.records_compared:,}"),
            ("records built but not in truth", f"{self.records_only_built:,}"),
            ("truth records not built (quarantined)", f"{self.records_only_truth:,}"),
            (
                "predicted persons / true persons",
                f"{self.predicted_persons:,} / {self.true_persons:,}",
            ),
            ("pairwise precision", f"{self.pairwise_precision:.5f}"),
            ("pairwise recall", f"{self.pairwise_recall:.5f}"),
            ("pairwise F1", f"{self.pairwise_f1:.5f}"),
            ("B-cubed precision", f"{self.bcubed_precision:.5f}"),
            ("B-cubed recall", f"{self.bcubed_recall:.5f}"),
            ("B-cubed F1", f"{self.bcubed_f1:.5f}"),
            ("over-merged predicted persons", f"{self.over_merged_persons:,}"),
            ("split true persons", f"{self.split_true_persons:,}"),
        ]
        for frame, scores in self.frames.items():
            rows.append(
                (
                    f"{frame}: pairwise P / R / F1",
                    f"{scores['precision']:.5f} / {scores['recall']:.5f} / {scores['f1']:.5f}",
                )
            )
        bound = self.shared_value_bound
        if bound:
            rows.append(
                (
                    "person records: true pairs joined by shared values",
                    f"{bound['joined_pairs']:,} of {bound['true_pairs']:,}"
                    f" (recall bound of exact-value linkage {bound['recall_bound']:.5f})",
                )
            )
            rows.append(
                (
                    "person records: recall within those pairs",
                    f"{bound['recall_within_joined']:.5f}",
                )
            )
        for kind, scores in self.precision_by_person_kind.items():
            rows.append(
                (
                    f"pairwise precision within {kind}",
                    f"{scores['precision']:.5f} ({scores['predicted_pairs']:,} pairs)",
                )
            )
        width = max(len(name) for name, _ in rows)
        lines = [f"{name.ljust(width)}  {value}" for name, value in rows]
        merge = self.largest_wrong_merge
        if merge:
            lines.append("")
            lines.append(
                f"largest wrong merge: {merge['person_id']} holds {merge['records']} records of "
                f"{merge['true_persons']} true persons"
            )
            for step in merge.get("explanation", []):
                lines.append(
                    "  "
                    * (step["depth"] + 1)
                    + f"{step['identifier_type']} {step['identifier']} <- {step['edge_rule']}"
                    f" ({step['edge_strength']}, e.g. {step['evidence_record']})"
                )
        return "\n".join(lines)


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def _ratio(numerator: float, denominator: float) -> float:
    return 1.0 if denominator == 0 else numerator / denominator


def evaluate(db_path: Path, truth_dir: Path, explain_limit: int = 40) -> Evaluation:
    """Pairwise and B-cubed scores of the built clusters against the truth."""
    records_csv = truth_dir / "records.csv"
    if not Path(db_path).is_file():
        raise FileNotFoundError(f"{db_path} not found: build it first (or pass --db)")
    if not records_csv.exists():
        raise FileNotFoundError(
            f"{records_csv} not found: is {truth_dir} a truth folder "
            "(generated without --no-truth)?"
        )
    con = duckdb.connect()
    try:
        con.execute(f"attach '{db_path}' as built (read_only)")
        con.execute(
            "create temp table truth as select source_table,"
            " trim(source_record_id) as source_record_id, person_id as true_person_id"
            " from read_csv(?, all_varchar = true, header = true)"
            " where coalesce(trim(source_record_id), '') != ''",
            [str(records_csv)],
        )
        only_built, only_truth = con.execute(
            "select"
            " (select count(*) from built.marts.person_source_records as b"
            "  anti join truth using (source_table, source_record_id)),"
            " (select count(*) from truth"
            "  anti join built.marts.person_source_records using (source_table, source_record_id))"
        ).fetchone()
        con.execute(SHARED_VALUES_SQL)
        con.execute(EVIDENCE_SQL)
        con.execute(
            "create temp table joined as select built_records.person_id,"
            " built_records.source_table, built_records.source_record_id, truth.true_person_id,"
            " evidence.source_record_id is not null as has_evidence"
            " from built.marts.person_source_records as built_records"
            " inner join truth using (source_table, source_record_id)"
            " left join evidence using (source_table, source_record_id)"
        )
        con.execute(
            "create temp table cells as select person_id, true_person_id, count(*) as n"
            " from joined group by all"
        )
        frames = {
            name: _frame_scores(con, tables, evidence_only)
            for name, (tables, evidence_only) in FRAMES.items()
        }
        precision_by_person_kind = _precision_by_person_kind(con)
        shared_value_bound = _shared_value_bound(con, PERSON_TABLES)
        (
            compared,
            predicted_persons,
            true_persons,
            true_positive,
            predicted_pairs,
            true_pairs,
            bcubed_precision_sum,
            bcubed_recall_sum,
        ) = con.execute(
            """
            with predicted as (select person_id, sum(n) as size from cells group by person_id),
            actual as (select true_person_id, sum(n) as size from cells group by true_person_id)
            select
                (select coalesce(sum(n), 0) from cells),
                (select count(*) from predicted),
                (select count(*) from actual),
                (select coalesce(sum(n * (n - 1) / 2), 0) from cells),
                (select coalesce(sum(size * (size - 1) / 2), 0) from predicted),
                (select coalesce(sum(size * (size - 1) / 2), 0) from actual),
                (select coalesce(sum(cells.n * cells.n / predicted.size), 0)
                 from cells join predicted using (person_id)),
                (select coalesce(sum(cells.n * cells.n / actual.size), 0)
                 from cells join actual using (true_person_id))
            """
        ).fetchone()
        over_merged, split = con.execute(
            "select"
            " (select count(*) from"
            "  (select person_id from cells group by 1 having count(*) > 1)),"
            " (select count(*) from"
            "  (select true_person_id from cells group by 1 having count(*) > 1))"
        ).fetchone()
        worst = con.execute(
            "select person_id, count(*) as true_persons, sum(n) as records from cells"
            " group by person_id having count(*) > 1 order by 2 desc, 3 desc, 1 limit 1"
        ).fetchone()
        largest_wrong_merge: dict = {}
        if worst:
            explanation = con.execute(
                f"""
                select depth, identifier_type, identifier_value,
                    coalesce(edge_rule, 'anchor'), coalesce(edge_strength, 'anchor'),
                    coalesce(evidence_record, '-')
                from built.marts.identity_explanations
                where person_id = ?
                order by depth, identifier_type, identifier_value
                limit {int(explain_limit)}
                """,
                [worst[0]],
            ).fetchall()
            largest_wrong_merge = {
                "person_id": worst[0],
                "true_persons": int(worst[1]),
                "records": int(worst[2]),
                "explanation": [
                    {
                        "depth": depth,
                        "identifier_type": identifier_type,
                        "identifier": mask_identifier(identifier_type, value),
                        "edge_rule": edge_rule,
                        "edge_strength": edge_strength,
                        "evidence_record": evidence_record,
                    }
                    for (
                        depth,
                        identifier_type,
                        value,
                        edge_rule,
                        edge_strength,
                        evidence_record,
                    ) in explanation
                ],
            }
    finally:
        con.close()

    precision = _ratio(true_positive, predicted_pairs)
    recall = _ratio(true_positive, true_pairs)
    bcubed_precision = _ratio(bcubed_precision_sum, compared)
    bcubed_recall = _ratio(bcubed_recall_sum, compared)
    return Evaluation(
        records_compared=int(compared),
        records_only_built=int(only_built),
        records_only_truth=int(only_truth),
        predicted_persons=int(predicted_persons),
        true_persons=int(true_persons),
        pairwise_precision=precision,
        pairwise_recall=recall,
        pairwise_f1=_f1(precision, recall),
        true_positive_pairs=int(true_positive),
        predicted_pairs=int(predicted_pairs),
        true_pairs=int(true_pairs),
        bcubed_precision=bcubed_precision,
        bcubed_recall=bcubed_recall,
        bcubed_f1=_f1(bcubed_precision, bcubed_recall),
        over_merged_persons=int(over_merged),
        split_true_persons=int(split),
        largest_wrong_merge=largest_wrong_merge,
        frames=frames,
        precision_by_person_kind=precision_by_person_kind,
        shared_value_bound=shared_value_bound,
    )


def _precision_by_person_kind(con: duckdb.DuckDBPyConnection) -> dict:
    """Pairwise precision within the persons that stitching and matching built, and
    within the profiles of devices left unattached, by the reason they were."""
    placeholders = ", ".join("?" for _ in DEVICE_PROFILE_ASSIGNMENTS)
    rows = con.execute(
        f"""
        with profiles as (
            select person_id, min(assignment) as assignment
            from built.identity.int_identity_device_assignments
            where assignment in ({placeholders})
            group by person_id
        ),
        kinds as (
            select
                cells.person_id,
                cells.n,
                coalesce('the own profiles of devices: ' || profiles.assignment, ?) as kind
            from cells left join profiles using (person_id)
        ),
        sizes as (select kind, person_id, sum(n) as size from kinds group by all)
        select
            kind,
            (select coalesce(sum(n * (n - 1) / 2), 0) from kinds where kinds.kind = k.kind),
            (select coalesce(sum(size * (size - 1) / 2), 0) from sizes where sizes.kind = k.kind)
        from (select distinct kind from kinds) as k
        order by kind = ? desc, kind
        """,
        [*DEVICE_PROFILE_ASSIGNMENTS, STITCHED_PERSONS, STITCHED_PERSONS],
    ).fetchall()
    return {
        kind: {"precision": _ratio(tp, predicted), "predicted_pairs": int(predicted)}
        for kind, tp, predicted in rows
    }


def _shared_value_bound(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...]) -> dict:
    """The true pairs of records of ``tables`` that a chain of shared exact values joins
    (records and values as one graph, split into its connected components), and the
    recall of the build within them (``shared_values`` and ``joined`` already made)."""
    placeholders = ", ".join("?" for _ in tables)
    con.execute(
        f"""
        create temp table bound_records as
        select
            row_number() over (order by source_table, source_record_id) - 1 as record_index,
            source_table, source_record_id, person_id, true_person_id
        from joined
        where source_table in ({placeholders})
        """,
        list(tables),
    )
    record_count = con.execute("select count(*) from bound_records").fetchone()[0]
    # One node per record, then one per (true person, kind, value): a value joins only
    # records of the same true person, so no chain crosses persons.
    edges = con.execute(
        """
        select
            bound_records.record_index,
            ? + dense_rank() over (
                order by bound_records.true_person_id, shared_values.value_kind,
                    shared_values.shared_value
            ) - 1 as value_index
        from bound_records
        inner join shared_values using (source_table, source_record_id)
        """,
        [record_count],
    ).fetchnumpy()
    records, values = (np.asarray(edges[name], dtype=np.int64) for name in edges)
    node_count = int(values.max()) + 1 if len(values) else record_count
    graph = coo_matrix((np.ones(len(records)), (records, values)), shape=(node_count, node_count))
    _, labels = connected_components(graph, directed=False)
    con.register(
        "bound_components",
        {"record_index": np.arange(record_count), "component": labels[:record_count]},
    )
    true_pairs, joined_pairs, joined_together = con.execute(
        """
        with labelled as (
            select * from bound_records inner join bound_components using (record_index)
        )
        select
            (select coalesce(sum(n * (n - 1) / 2), 0) from
                (select count(*) as n from labelled group by true_person_id)),
            (select coalesce(sum(n * (n - 1) / 2), 0) from
                (select count(*) as n from labelled group by true_person_id, component)),
            (select coalesce(sum(n * (n - 1) / 2), 0) from
                (select count(*) as n from labelled group by true_person_id, component, person_id))
        """
    ).fetchone()
    con.unregister("bound_components")
    return {
        "true_pairs": int(true_pairs),
        "joined_pairs": int(joined_pairs),
        "recall_bound": _ratio(joined_pairs, true_pairs),
        "recall_within_joined": _ratio(joined_together, joined_pairs),
    }


def _frame_scores(
    con: duckdb.DuckDBPyConnection, tables: tuple[str, ...], evidence_only: bool = False
) -> dict:
    """Pairwise precision, recall and F1 over the records of some tables only (and only
    those with evidence beyond a name, when evidence_only)."""
    placeholders = ", ".join("?" for _ in tables)
    evidence_condition = "and has_evidence" if evidence_only else ""
    true_positive, predicted_pairs, true_pairs = con.execute(
        f"""
        with frame_cells as (
            select person_id, true_person_id, count(*) as n from joined
            where source_table in ({placeholders}) {evidence_condition} group by all
        )
        select
            (select coalesce(sum(n * (n - 1) / 2), 0) from frame_cells),
            (select coalesce(sum(size * (size - 1) / 2), 0) from
                (select sum(n) as size from frame_cells group by person_id)),
            (select coalesce(sum(size * (size - 1) / 2), 0) from
                (select sum(n) as size from frame_cells group by true_person_id))
        """,
        list(tables),
    ).fetchone()
    precision = _ratio(true_positive, predicted_pairs)
    recall = _ratio(true_positive, true_pairs)
    return {"precision": precision, "recall": recall, "f1": _f1(precision, recall)}


def sweep(
    db_path: Path,
    truth_dir: Path,
    thresholds: tuple[float, ...] = SWEEP_THRESHOLDS,
    modes: tuple[str, ...] = SWEEP_MODES,
) -> list[dict]:
    """Rebuild the probabilistic links and everything after them at each match threshold
    and clustering mode, on a copy of the database, and evaluate each build. The copy
    keeps the file's name (DuckDB names the catalog after it) in a temporary folder; the
    raw files are not loaded again. Returns one row per setting."""
    from personagraph import paths
    from personagraph.dbt_runner import run_dbt

    results = []
    with tempfile.TemporaryDirectory(prefix="personagraph-sweep-") as work:
        for mode in modes:
            for threshold in thresholds:
                folder = Path(work) / f"{mode}-{threshold}"
                folder.mkdir()
                copy = folder / db_path.name
                shutil.copyfile(db_path, copy)
                variables = {
                    "matching__threshold": threshold,
                    "matching__clustering": mode,
                    "raw__skip_load": True,
                }
                run_dbt(
                    [
                        "run",
                        "--select",
                        "int_match_group_links+",
                        "--vars",
                        json.dumps(variables),
                        "--target-path",
                        str(folder / "target"),
                        "--log-path",
                        str(folder),
                    ],
                    paths.raw_dir(),
                    copy,
                    quiet=True,
                )
                evaluation = evaluate(copy, truth_dir)
                results.append(
                    {
                        "clustering": mode,
                        "threshold": threshold,
                        "pairwise_precision": evaluation.pairwise_precision,
                        "pairwise_recall": evaluation.pairwise_recall,
                        "pairwise_f1": evaluation.pairwise_f1,
                        "frames": evaluation.frames,
                    }
                )
                copy.unlink()
    return results


def render_sweep(results: list[dict]) -> str:
    """The sweep as a table: one row per clustering mode and threshold."""
    frames = ("person records", "person records with evidence")
    header = f"{'clustering':<11} {'threshold':>9}   {'all records P / R / F1':<26}" + "".join(
        f"   {name + ' P / R / F1':<26}" for name in frames
    )
    lines = [header, "-" * len(header)]
    for row in results:
        scores = [(row["pairwise_precision"], row["pairwise_recall"], row["pairwise_f1"])]
        for name in frames:
            frame = row["frames"].get(name, {})
            scores.append((frame.get("precision", 0), frame.get("recall", 0), frame.get("f1", 0)))
        lines.append(
            f"{row['clustering']:<11} {row['threshold']:>9}"
            + "".join(f"   {p:.4f} / {r:.4f} / {f:.4f}".ljust(29) for p, r, f in scores)
        )
    return "\n".join(lines)


def write_json(evaluation: Evaluation | dict, path: Path) -> None:
    """Write the evaluation (or a dict of figures) as JSON."""
    figures = asdict(evaluation) if isinstance(evaluation, Evaluation) else evaluation
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")
