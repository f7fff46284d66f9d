-- sqlfluff:ignore:parsing
-- One row per stitching node with its component in the first pass, over the edges of
-- records that carry an account id. These components are the people the systems of
-- record describe; records without an account id (guest orders, tickets, forms) are
-- checked against them before they may join anyone.

with

components as (
    {{ personagraph.connected_components(
        ref('int_identity_stitching_nodes'), ref('int_identity_account_edges')
    ) }}
)

select * from components
