-- One row per first-pass edge (src_id < dst_id): the anchor edges of records that
-- carry an account id, bridge hubs set aside.

with

record_identifiers as (
    select * from {{ ref('int_identity_record_identifiers') }}
),

bridge_hubs as (
    select * from {{ ref('int_identity_bridge_hubs') }}
),

account_record_identifiers as (
    select record_identifiers.*
    from record_identifiers
    left join bridge_hubs
        on record_identifiers.node_id = bridge_hubs.node_id
    where
        record_identifiers.is_account_record
        and bridge_hubs.node_id is null
),

record_edges as (
    {{ personagraph.record_anchor_edges('account_record_identifiers') }}
),

final as (
    select distinct
        src_id,
        dst_id
    from record_edges
)

select * from final
