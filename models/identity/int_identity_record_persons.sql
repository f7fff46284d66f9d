-- One row per record: the person it belongs to and the rule that placed it there.
-- Precedence: a strong known identifier on the record (its cluster's person), then its
-- device (the device's person), then a weak known identifier, else the record is a
-- person of its own. A device shared by several known people, or tied to one by a
-- single record, is unassigned: it is an anonymous profile of its own.

with

records as (
    select * from {{ ref('int_identity_records') }}
),

occurrences as (
    select * from {{ ref('int_identifier_occurrences') }}
),

clusters as (
    select * from {{ ref('int_identity_clusters') }}
),

devices as (
    select * from {{ ref('int_identity_device_assignments') }}
),

-- Known identifiers in the order a record's link is chosen by: type priority, then
-- value, as one integer (the type's priority times 10^12 plus the value's rank within
-- its type; ranked per type, so Spark needs no single-partition window), which turns
-- the choice into a min() per record.
ranked_identifiers as (
    select
        person_id,
        identifier_type,
        identifier_value,
        {{ personagraph.identifier_type_priority('identifier_type') }} * 1000000000000
        + row_number() over (partition by identifier_type order by identifier_value)
            as identifier_rank
    from clusters
),

known_links as (
    select
        occurrences.source_table,
        occurrences.source_record_id,
        occurrences.link_strength,
        ranked_identifiers.person_id,
        ranked_identifiers.identifier_rank
    from occurrences
    inner join ranked_identifiers
        on
            occurrences.identifier_type = ranked_identifiers.identifier_type
            and occurrences.identifier_value = ranked_identifiers.identifier_value
    where occurrences.identifier_class = 'known'
),

-- Each record's first strong and first weak identifier, and how many people its strong
-- identifiers belong to.
record_known_links as (
    select
        source_table,
        source_record_id,
        min(case when link_strength = 'strong' then identifier_rank end) as strong_rank,
        min(case when link_strength = 'weak' then identifier_rank end) as weak_rank,
        count(distinct case when link_strength = 'strong' then person_id end) as distinct_persons
    from known_links
    group by source_table, source_record_id
),

known_record_links as (
    select
        record_known_links.source_table,
        record_known_links.source_record_id,
        strong_identifiers.person_id as strong_person_id,
        strong_identifiers.identifier_type as strong_identifier_type,
        strong_identifiers.identifier_value as strong_identifier_value,
        record_known_links.distinct_persons as strong_persons,
        weak_identifiers.person_id as weak_person_id,
        weak_identifiers.identifier_type as weak_identifier_type,
        weak_identifiers.identifier_value as weak_identifier_value
    from record_known_links
    left join ranked_identifiers as strong_identifiers
        on record_known_links.strong_rank = strong_identifiers.identifier_rank
    left join ranked_identifiers as weak_identifiers
        on record_known_links.weak_rank = weak_identifiers.identifier_rank
),

device_links as (
    -- A record carries at most one cookie or device (every source table lists one
    -- such column in int_identifier_occurrences, and staging keeps single-version
    -- records' ids unique; a data test on int_identifier_occurrences holds it), so
    -- there is nothing to choose between and no grouping of 25 million records.
    select
        occurrences.source_table,
        occurrences.source_record_id,
        devices.person_id,
        devices.identifier_type,
        devices.identifier_value
    from occurrences
    inner join devices
        on
            occurrences.identifier_type = devices.identifier_type
            and occurrences.identifier_value = devices.identifier_value
    where occurrences.identifier_class = 'anonymous'
),

record_node_links as (
    -- Records without an accepted identifier that probabilistic matching merged: their
    -- record node's cluster.
    select
        identifier_value as record_key,
        person_id,
        identifier_type,
        identifier_value
    from clusters
    where identifier_type = 'record'
),

final as (
    select
        records.source_table,
        records.source_record_id,
        records.first_recorded_at,
        records.last_recorded_at,
        coalesce(
            known_links.strong_person_id,
            record_node_links.person_id,
            device_links.person_id,
            known_links.weak_person_id,
            {{ personagraph.person_id_from_anchor(
                "'record'", "records.source_table || ':' || records.source_record_id"
            ) }}
        ) as person_id,
        case
            when known_links.strong_person_id is not null then 'known_identifier'
            when record_node_links.person_id is not null then 'probabilistic_match'
            when device_links.person_id is not null then 'device'
            when known_links.weak_person_id is not null then 'weak_known_identifier'
            else 'no_identifier'
        end as assignment_rule,
        coalesce(
            known_links.strong_identifier_type,
            record_node_links.identifier_type,
            device_links.identifier_type,
            known_links.weak_identifier_type
        ) as linked_identifier_type,
        coalesce(
            known_links.strong_identifier_value,
            record_node_links.identifier_value,
            device_links.identifier_value,
            known_links.weak_identifier_value
        ) as linked_identifier_value,
        coalesce(known_links.strong_persons, 0) as strong_persons_on_record
    from records
    left join known_record_links as known_links
        on
            records.source_table = known_links.source_table
            and records.source_record_id = known_links.source_record_id
    left join record_node_links
        on records.source_table || ':' || records.source_record_id = record_node_links.record_key
    left join device_links
        on
            records.source_table = device_links.source_table
            and records.source_record_id = device_links.source_record_id
)

select * from final
