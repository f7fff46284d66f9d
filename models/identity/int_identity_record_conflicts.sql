-- One row per record without an account id (a guest order, a ticket, a web form)
-- whose identifiers, bridge hubs set aside, would join first-pass people holding more
-- account ids of one type than a person may have (identity__hub_limit_<type>): a
-- guest order paid with one person's card under another person's email. Its edges
-- are rejected; the guard log says so.

with

record_identifiers as (
    select * from {{ ref('int_identity_record_identifiers') }}
),

bridge_hubs as (
    select * from {{ ref('int_identity_bridge_hubs') }}
),

transaction_nodes as (
    select
        record_identifiers.source_table,
        record_identifiers.source_record_id,
        record_identifiers.node_id
    from record_identifiers
    left join bridge_hubs
        on record_identifiers.node_id = bridge_hubs.node_id
    where
        not record_identifiers.is_account_record
        and bridge_hubs.node_id is null
),

joined as (
    {{ personagraph.accounts_joined('transaction_nodes', ['source_table', 'source_record_id']) }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by source_table, source_record_id
            order by distinct_accounts - person_limit desc, identifier_type
        ) as excess_rank
    from joined
    where distinct_accounts > person_limit
),

final as (
    select
        source_table,
        source_record_id,
        identifier_type as conflicting_type,
        distinct_accounts,
        person_limit,
        components_joined
    from ranked
    where excess_rank = 1
)

select * from final
