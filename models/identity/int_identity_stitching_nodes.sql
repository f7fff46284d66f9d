-- One row per node of the stitching graph: accepted known identifiers, bridge hubs set
-- aside.
{{ config(materialized='view') }}

with

nodes as (
    select * from {{ ref('int_identity_nodes') }}
),

bridge_hubs as (
    select * from {{ ref('int_identity_bridge_hubs') }}
),

final as (
    select nodes.node_id
    from nodes
    left join bridge_hubs
        on nodes.node_id = bridge_hubs.node_id
    where bridge_hubs.node_id is null
)

select * from final
