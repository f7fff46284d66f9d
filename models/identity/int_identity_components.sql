-- sqlfluff:ignore:parsing
-- One row per stitching node (bridge hubs set aside) with its connected component (the
-- smallest node_id it is connected to) and the round in which its label settled, by
-- minimum-label propagation in a recursive CTE (macros/identity/connected_components.sql).

with

stitching_nodes as (
    select nodes.node_id
    from {{ ref('int_identity_nodes') }} as nodes
    left join {{ ref('int_identity_bridge_hubs') }} as bridge_hubs
        on nodes.node_id = bridge_hubs.node_id
    where bridge_hubs.node_id is null
),

components as (
    {{ personagraph.connected_components('stitching_nodes', ref('int_identity_edges')) }}
)

select * from components
