-- One row per record and stitching node it carries by a strong tie. is_account_record
-- marks records that carry a system of record's account id (identity__account_types:
-- shop accounts and their orders and logins, CRM and loyalty records, ESP contacts);
-- they stitch first. Records without one (guest orders, tickets, web forms) are
-- checked for conflicts before they may join people.

with

occurrences as (
    select * from {{ ref('int_identifier_occurrences') }}
),

nodes as (
    select * from {{ ref('int_identity_nodes') }}
),

record_nodes as (
    select
        occurrences.source_table,
        occurrences.source_record_id,
        nodes.node_id,
        nodes.identifier_type,
        nodes.identifier_value,
        nodes.type_priority,
        min(occurrences.link_rule) as link_rule,
        min(occurrences.first_seen_at) as first_seen_at,
        max(occurrences.last_seen_at) as last_seen_at
    from occurrences
    inner join nodes
        on
            occurrences.identifier_type = nodes.identifier_type
            and occurrences.identifier_value = nodes.identifier_value
    where occurrences.link_strength = 'strong'
    group by
        occurrences.source_table,
        occurrences.source_record_id,
        nodes.node_id,
        nodes.identifier_type,
        nodes.identifier_value,
        nodes.type_priority
),

flagged as (
    select
        *,
        case
            when identifier_type in {{ personagraph.sql_list(var('identity__account_types')) }} then 1
            else 0
        end as is_account_id
    from record_nodes
),

final as (
    select
        source_table,
        source_record_id,
        node_id,
        identifier_type,
        identifier_value,
        type_priority,
        link_rule,
        first_seen_at,
        last_seen_at,
        max(is_account_id) over (partition by source_table, source_record_id) = 1 as is_account_record
    from flagged
)

select * from final
