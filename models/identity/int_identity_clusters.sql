-- One row per node of the identity graph (accepted known identifier, or a record node
-- that probabilistic matching merged) with its cluster, the
-- cluster's anchor identifier (lowest type priority, then lowest value) and the
-- person_id derived from that anchor: 'p_' + 16 hex digits of md5('<type>:<value>').
-- The id depends on the cluster's content only, so it is the same on every run and
-- engine and does not change when unrelated data arrives.

with

identifier_nodes as (
    select * from {{ ref('int_identity_nodes') }}
),

record_nodes as (
    select * from {{ ref('int_identity_record_nodes') }}
),

components as (
    select * from {{ ref('int_identity_resolved_components') }}
),

nodes as (
    select
        node_id,
        identifier_type,
        identifier_value,
        type_priority,
        first_seen_at,
        last_seen_at
    from identifier_nodes

    union all

    select
        node_id,
        identifier_type,
        identifier_value,
        type_priority,
        first_seen_at,
        last_seen_at
    from record_nodes
),

clustered as (
    select
        nodes.node_id,
        nodes.identifier_type,
        nodes.identifier_value,
        nodes.type_priority,
        nodes.first_seen_at,
        nodes.last_seen_at,
        components.component_id,
        components.iteration
    from nodes
    inner join components
        on nodes.node_id = components.node_id
),

anchors as (
    select
        component_id,
        node_id as anchor_node_id,
        identifier_type as anchor_type,
        identifier_value as anchor_value,
        count(*) over (partition by component_id) as cluster_size,
        row_number() over (
            partition by component_id
            order by type_priority, identifier_value
        ) as anchor_rank
    from clustered
),

final as (
    select
        clustered.node_id,
        clustered.identifier_type,
        clustered.identifier_value,
        clustered.first_seen_at,
        clustered.last_seen_at,
        clustered.component_id,
        clustered.iteration as settled_at_iteration,
        anchors.anchor_node_id,
        anchors.anchor_type,
        anchors.anchor_value,
        anchors.cluster_size,
        clustered.node_id = anchors.anchor_node_id as is_anchor,
        {{ personagraph.person_id_from_anchor('anchors.anchor_type', 'anchors.anchor_value') }} as person_id
    from clustered
    inner join anchors
        on
            clustered.component_id = anchors.component_id
            and anchors.anchor_rank = 1
)

select * from final
