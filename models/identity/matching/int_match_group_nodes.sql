-- One row per group (deterministic component, or lone person record) that an accepted
-- probabilistic link touches: the nodes of the group-level stitching graph.
{{ config(materialized='view') }}

with

group_links as (
    select * from {{ ref('int_match_group_links') }}
    where is_accepted
),

final as (
    select src_id as node_id from group_links
    union
    select dst_id as node_id from group_links
)

select * from final
