-- The accepted group links (src_id < dst_id): the edges of the group-level stitching
-- graph.
{{ config(materialized='view') }}

with

group_links as (
    select * from {{ ref('int_match_group_links') }}
),

final as (
    select
        src_id,
        dst_id,
        match_weight
    from group_links
    where is_accepted
)

select * from final
