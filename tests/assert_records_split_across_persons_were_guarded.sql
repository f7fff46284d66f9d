-- A record's strong identifiers are linked to each other by the record's own edges, so
-- they belong to one person, unless a guard rejected those edges: the record conflicts
-- with first-pass people, or one of its identifiers is a bridge hub.

with

record_persons as (
    select * from {{ ref('int_identity_record_persons') }}
),

conflicts as (
    select * from {{ ref('int_identity_record_conflicts') }}
),

record_identifiers as (
    select * from {{ ref('int_identity_record_identifiers') }}
),

bridge_hubs as (
    select * from {{ ref('int_identity_bridge_hubs') }}
),

records_with_bridge_hubs as (
    select distinct
        record_identifiers.source_table,
        record_identifiers.source_record_id
    from record_identifiers
    inner join bridge_hubs
        on record_identifiers.node_id = bridge_hubs.node_id
)

select record_persons.*
from record_persons
left join conflicts
    on
        record_persons.source_table = conflicts.source_table
        and record_persons.source_record_id = conflicts.source_record_id
left join records_with_bridge_hubs
    on
        record_persons.source_table = records_with_bridge_hubs.source_table
        and record_persons.source_record_id = records_with_bridge_hubs.source_record_id
where
    record_persons.strong_persons_on_record > 1
    and conflicts.source_table is null
    and records_with_bridge_hubs.source_table is null
