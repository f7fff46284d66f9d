-- One row per accepted edge between two known identifiers (each undirected edge once,
-- src_id < dst_id). A record links each of its accepted identifiers to its anchor (the
-- identifier with the lowest type priority, then the lowest value): n-1 edges per
-- record, never all pairs. Only strong ties make edges; rule and evidence say which
-- tie and which record first showed it.

with

occurrences as (
    select * from {{ ref('int_identifier_occurrences') }}
),

nodes as (
    select * from {{ ref('int_identity_nodes') }}
),

record_identifiers as (
    select
        occurrences.source_table,
        occurrences.source_record_id,
        occurrences.link_rule,
        occurrences.first_seen_at,
        occurrences.last_seen_at,
        nodes.node_id,
        nodes.identifier_type,
        nodes.identifier_value,
        nodes.type_priority
    from occurrences
    inner join nodes
        on
            occurrences.identifier_type = nodes.identifier_type
            and occurrences.identifier_value = nodes.identifier_value
    where occurrences.link_strength = 'strong'
),

ranked as (
    select
        *,
        row_number() over (
            partition by source_table, source_record_id
            order by type_priority, identifier_value, link_rule
        ) as anchor_rank
    from record_identifiers
),

record_anchors as (
    select
        source_table,
        source_record_id,
        node_id as anchor_id
    from ranked
    where anchor_rank = 1
),

record_edges as (
    select
        ranked.source_table,
        ranked.source_record_id,
        ranked.link_rule,
        ranked.first_seen_at,
        ranked.last_seen_at,
        least(record_anchors.anchor_id, ranked.node_id) as src_id,
        greatest(record_anchors.anchor_id, ranked.node_id) as dst_id
    from ranked
    inner join record_anchors
        on
            ranked.source_table = record_anchors.source_table
            and ranked.source_record_id = record_anchors.source_record_id
    where ranked.node_id != record_anchors.anchor_id
),

final as (
    select
        src_id,
        dst_id,
        'strong' as edge_strength,
        min(link_rule) as edge_rule,
        min(source_table || ':' || source_record_id) as evidence_record,
        count(distinct source_table || ':' || source_record_id) as evidence_record_count,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at
    from record_edges
    group by src_id, dst_id
)

select * from final
