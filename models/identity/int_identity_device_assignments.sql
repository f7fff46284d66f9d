-- One row per anonymous identifier (web cookie, app device): the person it is attached
-- to and why. Strong ties (a login, a form) win over weak ones (a click-through link
-- that may have been forwarded). A device is attached to a known person when all its
-- ties of the stronger kind point to that one person and at least
-- identity__min_tie_records_to_attach_device records show a tie: one login on a
-- friend's phone or a family tablet does not make the device that person's
-- (unconfirmed_tie). A device tied to two or more people (a shared family tablet) is
-- unassigned and the guard log says so; a device tied to nobody is a profile of its
-- own. Devices never merge known people.

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

-- Only records that carry a cookie or device can tie one to a person: the known
-- identifiers of other tables (CRM, shop, loyalty...) are left out before the join.
anonymous_sources as (
    select distinct source_table from anonymous_occurrences
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
    where occurrences.source_table in (select anonymous_sources.source_table from anonymous_sources)
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
        min(case when link_strength = 'weak' then person_id end) as weak_person_id,
        count(distinct case when link_strength = 'strong' then evidence_record end) as strong_tie_records,
        count(distinct case when link_strength = 'weak' then evidence_record end) as weak_tie_records
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
        coalesce(tie_summary.strong_tie_records, 0) + coalesce(tie_summary.weak_tie_records, 0)
            as tie_records,
        case
            when tie_summary.strong_person_count > 1 then 'shared_by_known_people'
            when tie_summary.strong_person_count = 1
                and tie_summary.strong_tie_records >= {{ var('identity__min_tie_records_to_attach_device') }}
                then 'attached_by_strong_tie'
            when tie_summary.strong_person_count = 1 then 'unconfirmed_tie'
            when tie_summary.weak_person_count > 1 then 'shared_by_known_people'
            when tie_summary.weak_person_count = 1
                and tie_summary.weak_tie_records >= {{ var('identity__min_tie_records_to_attach_device') }}
                then 'attached_by_weak_tie'
            when tie_summary.weak_person_count = 1 then 'unconfirmed_tie'
            else 'anonymous_profile'
        end as assignment  -- noqa: RF04
    from devices
    left join tie_summary
        on
            devices.identifier_type = tie_summary.identifier_type
            and devices.identifier_value = tie_summary.identifier_value
),

attached as (
    select
        decided.*,
        case decided.assignment
            when 'attached_by_strong_tie' then tie_summary.strong_person_id
            when 'attached_by_weak_tie' then tie_summary.weak_person_id
        end as attached_person_id
    from decided
    left join tie_summary
        on
            decided.identifier_type = tie_summary.identifier_type
            and decided.identifier_value = tie_summary.identifier_value
),

attaching_tie as (
    select
        attached.identifier_type,
        attached.identifier_value,
        min(device_ties.link_rule) as link_rule,
        min(device_ties.link_strength) as link_strength,
        min(device_ties.known_type || ':' || device_ties.known_value) as linked_identifier,
        min(device_ties.evidence_record) as evidence_record
    from attached
    inner join device_ties
        on
            attached.identifier_type = device_ties.identifier_type
            and attached.identifier_value = device_ties.identifier_value
            and attached.attached_person_id = device_ties.person_id
            and (
                (attached.assignment = 'attached_by_strong_tie' and device_ties.link_strength = 'strong')
                or (attached.assignment = 'attached_by_weak_tie' and device_ties.link_strength = 'weak')
            )
    group by attached.identifier_type, attached.identifier_value
),

final as (
    select
        attached.identifier_type,
        attached.identifier_value,
        attached.first_seen_at,
        attached.last_seen_at,
        attached.record_count,
        attached.strong_person_count,
        attached.weak_person_count,
        attached.tie_records,
        attached.assignment,
        coalesce(
            attached.attached_person_id,
            {{ personagraph.person_id_from_anchor('attached.identifier_type', 'attached.identifier_value') }}
        ) as person_id,
        attaching_tie.link_rule,
        attaching_tie.link_strength,
        attaching_tie.linked_identifier,
        attaching_tie.evidence_record
    from attached
    left join attaching_tie
        on
            attached.identifier_type = attaching_tie.identifier_type
            and attached.identifier_value = attaching_tie.identifier_value
)

select * from final
