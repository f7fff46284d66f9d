-- sqlfluff:ignore:parsing
-- One row per group touched by an accepted link with its connected component over the
-- accepted links (the smallest group id it is linked to), by the same dispatched
-- stitching macro as the deterministic graph.

with

components as (
    {{ personagraph.connected_components(
        ref('int_match_group_nodes'), ref('int_match_accepted_group_links')
    ) }}
)

select * from components
