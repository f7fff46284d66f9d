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

known_links as (
    select
        occurrences.source_table,
        occurrences.source_record_id,
        occurrences.link_strength,
        clusters.person_id,
        clusters.identifier_type,
        clusters.identifier_value,
        {{ personagraph.identifier_type_priority('clusters.identifier_type') }} as type_priority
    from occurrences
    inner join clusters
        on
            occurrences.identifier_type = clusters.identifier_type
            and occurrences.identifier_value = clusters.identifier_value
    where occurrences.identifier_class = 'known'
),

ranked_known_links as (
    select
        *,
        row_number() over (
            partition by source_table, source_record_id, link_strength
            order by type_priority, identifier_value
        ) as link_rank
    from known_links
),

persons_per_record as (
    select
        source_table,
        source_record_id,
        count(distinct person_id) as distinct_persons
    from known_links
    where link_strength = 'strong'
    group by source_table, source_record_id
),

strong_links as (
    select
        ranked_known_links.*,
        persons_per_record.distinct_persons
    from ranked_known_links
    inner join persons_per_record
        on
            ranked_known_links.source_table = persons_per_record.source_table
            and ranked_known_links.source_record_id = persons_per_record.source_record_id
    where ranked_known_links.link_strength = 'strong' and ranked_known_links.link_rank = 1
),

weak_links as (
    select * from ranked_known_links
    where link_strength = 'weak' and link_rank = 1
),

device_links as (
    -- The contract's tables carry at most one cookie or device per record; were there
    -- several, the smallest identifier would decide.
    select
        occurrences.source_table,
        occurrences.source_record_id,
        min(devices.person_id) as person_id,
        min(devices.identifier_type) as identifier_type,
        min(devices.identifier_value) as identifier_value
    from occurrences
    inner join devices
        on
            occurrences.identifier_type = devices.identifier_type
            and occurrences.identifier_value = devices.identifier_value
    where occurrences.identifier_class = 'anonymous'
    group by occurrences.source_table, occurrences.source_record_id
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
            strong_links.person_id,
            record_node_links.person_id,
            device_links.person_id,
            weak_links.person_id,
            {{ personagraph.person_id_from_anchor(
                "'record'", "records.source_table || ':' || records.source_record_id"
            ) }}
        ) as person_id,
        case
            when strong_links.person_id is not null then 'known_identifier'
            when record_node_links.person_id is not null then 'probabilistic_match'
            when device_links.person_id is not null then 'device'
            when weak_links.person_id is not null then 'weak_known_identifier'
            else 'no_identifier'
        end as assignment_rule,
        coalesce(
            strong_links.identifier_type,
            record_node_links.identifier_type,
            device_links.identifier_type,
            weak_links.identifier_type
        ) as linked_identifier_type,
        coalesce(
            strong_links.identifier_value,
            record_node_links.identifier_value,
            device_links.identifier_value,
            weak_links.identifier_value
        ) as linked_identifier_value,
        coalesce(strong_links.distinct_persons, 0) as strong_persons_on_record
    from records
    left join strong_links
        on
            records.source_table = strong_links.source_table
            and records.source_record_id = strong_links.source_record_id
    left join record_node_links
        on records.source_table || ':' || records.source_record_id = record_node_links.record_key
    left join device_links
        on
            records.source_table = device_links.source_table
            and records.source_record_id = device_links.source_record_id
    left join weak_links
        on
            records.source_table = weak_links.source_table
            and records.source_record_id = weak_links.source_record_id
)

select * from final
