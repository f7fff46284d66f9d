-- sqlfluff:ignore:parsing
-- One row per stitching node with its component in the first pass, which uses only
-- the edges of records carrying an account id (bridge hubs set aside). These
-- components are the people the systems of record describe; records without an
-- account id (guest orders, tickets, forms) are checked against them.

with

account_record_identifiers as (
    select record_identifiers.*
    from {{ ref('int_identity_record_identifiers') }} as record_identifiers
    left join {{ ref('int_identity_bridge_hubs') }} as bridge_hubs
        on record_identifiers.node_id = bridge_hubs.node_id
    where
        record_identifiers.is_account_record
        and bridge_hubs.node_id is null
),

account_edges as (
    select distinct
        src_id,
        dst_id
    from ({{ personagraph.record_anchor_edges('account_record_identifiers') }}) as record_edges
),

components as (
    {{ personagraph.connected_components(ref('int_identity_nodes'), 'account_edges') }}
)

select * from components
