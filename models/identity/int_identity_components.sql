-- sqlfluff:ignore:parsing
-- One row per stitching node with its connected component (the smallest node_id it is
-- connected to) and the round in which its label settled, by minimum-label
-- propagation in a recursive CTE (macros/identity/connected_components.sql).

with

components as (
    {{ personagraph.connected_components(
        ref('int_identity_stitching_nodes'), ref('int_identity_edges')
    ) }}
)

select * from components
