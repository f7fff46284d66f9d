-- One row per identifier seen only on transactions (orders, tickets; never on an
-- account holder's own record) whose transactions name more distinct account ids than
-- any one of them does: the only link between account holders who never appear
-- together, such as a store's email typed on several customers' orders. Like hubs,
-- bridge hubs are kept out of stitching.

with

record_identifiers as (
    select * from {{ ref('int_identity_record_identifiers') }}
),

transaction_only as (
    select node_id
    from record_identifiers
    where identifier_type not in {{ personagraph.sql_list(var('identity__account_types')) }}
    group by node_id
    having bool_and(source_table in {{ personagraph.sql_list(var('identity__transaction_tables')) }})
),

record_accounts as (
    select
        source_table,
        source_record_id,
        identifier_type || ':' || identifier_value as account_key
    from record_identifiers
    where identifier_type in {{ personagraph.sql_list(var('identity__account_types')) }}
),

candidate_accounts as (
    select
        candidates.node_id,
        candidates.source_table,
        candidates.source_record_id,
        record_accounts.account_key
    from record_identifiers as candidates
    inner join transaction_only
        on candidates.node_id = transaction_only.node_id
    inner join record_accounts
        on
            candidates.source_table = record_accounts.source_table
            and candidates.source_record_id = record_accounts.source_record_id
),

per_record as (
    select
        node_id,
        source_table,
        source_record_id,
        count(distinct account_key) as accounts_on_record
    from candidate_accounts
    group by node_id, source_table, source_record_id
),

per_candidate as (
    select
        candidate_accounts.node_id,
        count(distinct candidate_accounts.account_key) as distinct_accounts,
        count(distinct candidate_accounts.source_table || ':' || candidate_accounts.source_record_id)
            as records_with_accounts
    from candidate_accounts
    group by candidate_accounts.node_id
),

most_on_one_record as (
    select
        node_id,
        max(accounts_on_record) as most_accounts_on_one_record
    from per_record
    group by node_id
),

final as (
    select
        per_candidate.node_id,
        nodes.identifier_type,
        nodes.identifier_value,
        per_candidate.distinct_accounts,
        most_on_one_record.most_accounts_on_one_record,
        per_candidate.records_with_accounts
    from per_candidate
    inner join most_on_one_record
        on per_candidate.node_id = most_on_one_record.node_id
    inner join {{ ref('int_identity_nodes') }} as nodes
        on per_candidate.node_id = nodes.node_id
    where per_candidate.distinct_accounts > most_on_one_record.most_accounts_on_one_record
)

select * from final
