"""The evaluator against a brute-force count of record pairs on random partitions."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from personagraph.evaluate import STITCHED_PERSONS, evaluate

#: What a test record carries besides a name: a postcode on its person record, a payment
#: card (an identifier that can link it), both, a cookie only, or nothing. The first three
#: are evidence; a cookie places a record through a device, not as a person record.
EVIDENCE_KINDS = ("postcode", "card", "both", "device", "none")
#: How a predicted person came about: built by stitching (None: no device of its own, or a
#: device attached to it) or a device's own profile, by why the device stayed unattached.
PERSON_KINDS = (
    None,
    "attached_by_strong_tie",
    "anonymous_profile",
    "unconfirmed_tie",
    "shared_by_known_people",
)


def postcode_of(record: int, kind: str) -> str | None:
    """Two postcodes, so that records of one person may or may not share theirs."""
    return ("CB202ED", "OX11AA")[record % 2] if kind in ("postcode", "both") else None


def card_of(record: int) -> str:
    """Three cards in all: records may share one, with or without sharing a postcode."""
    return f"card{record % 3}"


def write_case(
    folder: Path,
    predicted: list[int],
    actual: list[int],
    kinds: list[str] | None = None,
    person_kinds: list[str | None] | None = None,
) -> Path:
    kinds = kinds or ["none"] * len(predicted)
    person_kinds = person_kinds or [None] * 6
    db_path = folder / "case.duckdb"
    db_path.unlink(missing_ok=True)
    with duckdb.connect(str(db_path)) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.person_source_records (person_id varchar, source_table varchar,"
            " source_record_id varchar)"
        )
        con.execute(
            "create table marts.identity_explanations (person_id varchar, identifier_type varchar,"
            " identifier_value varchar, depth integer, edge_rule varchar, edge_strength varchar,"
            " evidence_record varchar)"
        )
        con.executemany(
            "insert into marts.person_source_records values (?, 'shop_orders', ?)",
            [(f"p{cluster}", f"O{i}") for i, cluster in enumerate(predicted)],
        )
        con.execute("create schema identity")
        con.execute(
            "create table identity.int_identity_device_assignments (identifier_type varchar,"
            " identifier_value varchar, assignment varchar, person_id varchar)"
        )
        profiles = [
            (f"d{cluster}", kind, f"p{cluster}")
            for cluster, kind in enumerate(person_kinds)
            if kind is not None
        ]
        if profiles:
            con.executemany(
                "insert into identity.int_identity_device_assignments"
                " values ('anonymous_id', ?, ?, ?)",
                profiles,
            )
        con.execute(
            "create table identity.int_match_person_records (source_table varchar,"
            " source_record_id varchar, first_name varchar, date_of_birth date,"
            " address varchar, postcode varchar, email varchar, phone varchar)"
        )
        con.executemany(
            "insert into identity.int_match_person_records values"
            " ('shop_orders', ?, 'edward', null, null, ?, null, null)",
            [(f"O{i}", postcode_of(i, kind)) for i, kind in enumerate(kinds)],
        )
        con.execute(
            "create table identity.int_identifier_occurrences (source_table varchar,"
            " source_record_id varchar, identifier_type varchar, identifier_value varchar,"
            " identifier_class varchar)"
        )
        occurrences = [
            (
                f"O{i}",
                *{
                    "card": ("payment_fingerprint", "known"),
                    "both": ("payment_fingerprint", "known"),
                    "device": ("anonymous_id", "anonymous"),
                }[kind],
                f"v{i}" if kind == "device" else card_of(i),
            )
            for i, kind in enumerate(kinds)
            if kind in ("card", "both", "device")
        ]
        # Every order also carries its own id, which is no evidence.
        occurrences += [(f"O{i}", "order_id", "known", f"O{i}") for i in range(len(kinds))]
        con.executemany(
            "insert into identity.int_identifier_occurrences"
            " (source_record_id, identifier_type, identifier_class, identifier_value, source_table)"
            " values (?, ?, ?, ?, 'shop_orders')",
            occurrences,
        )
    truth = folder / "truth"
    truth.mkdir(exist_ok=True)
    with open(truth / "records.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source_table", "source_record_id", "person_id", "defect"])
        writer.writerows(
            ["shop_orders", f"O{i}", f"t{person}", ""] for i, person in enumerate(actual)
        )
    return db_path


partitions = st.integers(min_value=2, max_value=25).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 5), min_size=n, max_size=n),
        st.lists(st.integers(0, 5), min_size=n, max_size=n),
        st.lists(st.sampled_from(EVIDENCE_KINDS), min_size=n, max_size=n),
        st.lists(st.sampled_from(PERSON_KINDS), min_size=6, max_size=6),
    )
)


@settings(max_examples=25, deadline=None)
@given(partitions)
def test_pairwise_and_bcubed_scores_match_brute_force(tmp_path_factory, case) -> None:
    predicted, actual, kinds, person_kinds = case
    folder = tmp_path_factory.mktemp("evaluate")
    result = evaluate(write_case(folder, predicted, actual, kinds, person_kinds), folder / "truth")

    # Precision within each kind of predicted person: stitched persons (no device of
    # their own, or an attached one) and devices' own profiles by assignment.
    def kind_of(cluster: int) -> str:
        kind = person_kinds[cluster]
        if kind in (None, "attached_by_strong_tie"):
            return STITCHED_PERSONS
        return f"the own profiles of devices: {kind}"

    by_kind: dict[str, list[tuple[int, int]]] = {}
    for i, j in itertools.combinations(range(len(predicted)), 2):
        if predicted[i] == predicted[j]:
            by_kind.setdefault(kind_of(predicted[i]), []).append((i, j))
    present = {kind_of(cluster) for cluster in set(predicted)}
    assert set(result.precision_by_person_kind) == present
    for kind, scores in result.precision_by_person_kind.items():
        kind_pairs = by_kind.get(kind, [])
        assert scores["predicted_pairs"] == len(kind_pairs)
        if kind_pairs:
            expected = sum(actual[i] == actual[j] for i, j in kind_pairs) / len(kind_pairs)
            assert abs(scores["precision"] - expected) < 1e-9

    # The frame of person records with evidence: only records with a postcode or a card.
    kept = [i for i, kind in enumerate(kinds) if kind in ("postcode", "card", "both")]
    kept_pairs = list(itertools.combinations(kept, 2))
    kept_predicted = {(i, j) for i, j in kept_pairs if predicted[i] == predicted[j]}
    kept_actual = {(i, j) for i, j in kept_pairs if actual[i] == actual[j]}
    frame = result.frames["person records with evidence"]
    if kept_predicted:
        expected = len(kept_predicted & kept_actual) / len(kept_predicted)
        assert abs(frame["precision"] - expected) < 1e-9
    if kept_actual:
        expected = len(kept_predicted & kept_actual) / len(kept_actual)
        assert abs(frame["recall"] - expected) < 1e-9

    # Pairs of one true person that a chain of their own records sharing postcodes or cards
    # joins (a record of another person sharing both is no link).
    root = list(range(len(kinds)))

    def find(i: int) -> int:
        while root[i] != i:
            i = root[i]
        return i

    values = [
        {("postcode", postcode_of(i, kind))} if kind in ("postcode", "both") else set()
        for i, kind in enumerate(kinds)
    ]
    for i, kind in enumerate(kinds):
        if kind in ("card", "both"):
            values[i].add(("card", card_of(i)))
    for i, j in itertools.combinations(range(len(kinds)), 2):
        if actual[i] == actual[j] and values[i] & values[j]:
            root[find(i)] = find(j)
    true_pairs = [
        (i, j) for i, j in itertools.combinations(range(len(kinds)), 2) if actual[i] == actual[j]
    ]
    joined = [(i, j) for i, j in true_pairs if find(i) == find(j)]
    bound = result.shared_value_bound
    assert bound["true_pairs"] == len(true_pairs)
    assert bound["joined_pairs"] == len(joined)
    if joined:
        together = sum(predicted[i] == predicted[j] for i, j in joined)
        assert abs(bound["recall_within_joined"] - together / len(joined)) < 1e-9

    pairs = list(itertools.combinations(range(len(predicted)), 2))
    same_predicted = {(i, j) for i, j in pairs if predicted[i] == predicted[j]}
    same_actual = {(i, j) for i, j in pairs if actual[i] == actual[j]}
    true_positive = len(same_predicted & same_actual)
    assert result.true_positive_pairs == true_positive
    assert result.predicted_pairs == len(same_predicted)
    assert result.true_pairs == len(same_actual)
    if same_predicted:
        assert abs(result.pairwise_precision - true_positive / len(same_predicted)) < 1e-9
    if same_actual:
        assert abs(result.pairwise_recall - true_positive / len(same_actual)) < 1e-9

    n = len(predicted)
    precision = (
        sum(
            sum(predicted[j] == predicted[i] and actual[j] == actual[i] for j in range(n))
            / sum(predicted[j] == predicted[i] for j in range(n))
            for i in range(n)
        )
        / n
    )
    recall = (
        sum(
            sum(predicted[j] == predicted[i] and actual[j] == actual[i] for j in range(n))
            / sum(actual[j] == actual[i] for j in range(n))
            for i in range(n)
        )
        / n
    )
    assert abs(result.bcubed_precision - precision) < 1e-9
    assert abs(result.bcubed_recall - recall) < 1e-9
    assert result.over_merged_persons == sum(
        len({actual[i] for i in range(n) if predicted[i] == cluster}) > 1
        for cluster in set(predicted)
    )
    assert result.split_true_persons == sum(
        len({predicted[i] for i in range(n) if actual[i] == person}) > 1 for person in set(actual)
    )
