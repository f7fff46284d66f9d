-- sqlfluff:ignore:parsing
-- One row per stitching node: the edge through which breadth-first search from its
-- cluster's anchor first reached it (rule, strength, evidence record) and its depth.
-- Walking parents from any identifier up to the anchor explains why it belongs to
-- its person; full paths are computed on demand (macro explain_identifier_path and
-- `personagraph explain`), not stored for every record.

with

clusters as (
    select * from {{ ref('int_identity_clusters') }}
),

edges as (
    select * from {{ ref('int_identity_all_edges') }}
),

tree as (
    {{ personagraph.spanning_tree(
        '(select node_id from ' ~ ref('int_identity_clusters') ~ ' where is_anchor) as anchors',
        ref('int_identity_all_edges')
    ) }}
),

final as (
    select
        clusters.person_id,
        tree.node_id,
        clusters.identifier_type,
        clusters.identifier_value,
        tree.depth,
        tree.parent_id,
        parents.identifier_type as parent_identifier_type,
        parents.identifier_value as parent_identifier_value,
        edges.edge_rule,
        edges.edge_strength,
        edges.evidence_record,
        edges.evidence_record_count,
        edges.match_probability,
        edges.match_evidence
    from tree
    inner join clusters
        on tree.node_id = clusters.node_id
    left join clusters as parents
        on tree.parent_id = parents.node_id
    left join edges
        on
            least(tree.node_id, tree.parent_id) = edges.src_id
            and greatest(tree.node_id, tree.parent_id) = edges.dst_id
)

select * from final
