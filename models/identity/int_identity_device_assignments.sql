-- One row per anonymous identifier (web cookie, app device): the person it is attached
-- to and why. Strong ties (a login, a form) win over weak ones (a click-through link
-- that may have been forwarded). A device tied to exactly one known person is
-- attached to that person; one tied to two or more (a shared family tablet) stays a
-- profile of its own and the guard log says so; one tied to nobody is a profile of
-- its own. Devices never merge known people.

with

occurrences as (
    select * from {{ ref('int_identifier_occurrences') }}
),

clusters as (
    select * from {{ ref('int_identity_clusters') }}
),

blocked as (
    select * from {{ ref('int_identity_blocked_identifiers') }}
),

anonymous_occurrences as (
    select
        occurrences.source_table,
        occurrences.source_record_id,
        occurrences.identifier_type,
        occurrences.identifier_value,
        occurrences.first_seen_at,
        occurrences.last_seen_at
    from occurrences
    left join blocked
        on
            occurrences.identifier_type = blocked.identifier_type
            and occurrences.identifier_value = blocked.identifier_value
    where
        occurrences.identifier_class = 'anonymous'
        and blocked.identifier_type is null
),

known_ties as (
    select
        occurrences.source_table,
        occurrences.source_record_id,
        occurrences.link_strength,
        occurrences.link_rule,
        clusters.person_id,
        clusters.identifier_type as known_type,
        clusters.identifier_value as known_value
    from occurrences
    inner join clusters
        on
            occurrences.identifier_type = clusters.identifier_type
            and occurrences.identifier_value = clusters.identifier_value
),

device_ties as (
    select
        anonymous_occurrences.identifier_type,
        anonymous_occurrences.identifier_value,
        known_ties.link_strength,
        known_ties.link_rule,
        known_ties.person_id,
        known_ties.known_type,
        known_ties.known_value,
        anonymous_occurrences.source_table || ':' || anonymous_occurrences.source_record_id as evidence_record
    from anonymous_occurrences
    inner join known_ties
        on
            anonymous_occurrences.source_table = known_ties.source_table
            and anonymous_occurrences.source_record_id = known_ties.source_record_id
),

tie_summary as (
    select
        identifier_type,
        identifier_value,
        count(distinct case when link_strength = 'strong' then person_id end) as strong_person_count,
        count(distinct case when link_strength = 'weak' then person_id end) as weak_person_count,
        min(case when link_strength = 'strong' then person_id end) as strong_person_id,
        min(case when link_strength = 'weak' then person_id end) as weak_person_id
    from device_ties
    group by identifier_type, identifier_value
),

devices as (
    select
        identifier_type,
        identifier_value,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        count(*) as record_count
    from anonymous_occurrences
    group by identifier_type, identifier_value
),

decided as (
    select
        devices.identifier_type,
        devices.identifier_value,
        devices.first_seen_at,
        devices.last_seen_at,
        devices.record_count,
        coalesce(tie_summary.strong_person_count, 0) as strong_person_count,
        coalesce(tie_summary.weak_person_count, 0) as weak_person_count,
        case
            when tie_summary.strong_person_count = 1 then 'attached_by_strong_tie'
            when tie_summary.strong_person_count > 1 then 'shared_by_known_people'
            when tie_summary.weak_person_count = 1 then 'attached_by_weak_tie'
            when tie_summary.weak_person_count > 1 then 'shared_by_known_people'
            else 'anonymous_profile'
        end as assignment,  -- noqa: RF04
        case
            when tie_summary.strong_person_count = 1 then tie_summary.strong_person_id
            when tie_summary.strong_person_count is null or tie_summary.strong_person_count = 0
                then case when tie_summary.weak_person_count = 1 then tie_summary.weak_person_id end
        end as attached_person_id
    from devices
    left join tie_summary
        on
            devices.identifier_type = tie_summary.identifier_type
            and devices.identifier_value = tie_summary.identifier_value
),

attaching_tie as (
    select
        decided.identifier_type,
        decided.identifier_value,
        min(device_ties.link_rule) as link_rule,
        min(device_ties.link_strength) as link_strength,
        min(device_ties.known_type || ':' || device_ties.known_value) as linked_identifier,
        min(device_ties.evidence_record) as evidence_record
    from decided
    inner join device_ties
        on
            decided.identifier_type = device_ties.identifier_type
            and decided.identifier_value = device_ties.identifier_value
            and decided.attached_person_id = device_ties.person_id
            and (
                (decided.assignment = 'attached_by_strong_tie' and device_ties.link_strength = 'strong')
                or (decided.assignment = 'attached_by_weak_tie' and device_ties.link_strength = 'weak')
            )
    group by decided.identifier_type, decided.identifier_value
),

final as (
    select
        decided.identifier_type,
        decided.identifier_value,
        decided.first_seen_at,
        decided.last_seen_at,
        decided.record_count,
        decided.strong_person_count,
        decided.weak_person_count,
        decided.assignment,
        coalesce(
            decided.attached_person_id,
            {{ personagraph.person_id_from_anchor('decided.identifier_type', 'decided.identifier_value') }}
        ) as person_id,
        attaching_tie.link_rule,
        attaching_tie.link_strength,
        attaching_tie.linked_identifier,
        attaching_tie.evidence_record
    from decided
    left join attaching_tie
        on
            decided.identifier_type = attaching_tie.identifier_type
            and decided.identifier_value = attaching_tie.identifier_value
)

select * from final
