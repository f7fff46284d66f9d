-- One row per guard that fired: the guard, the identifier type, the value (emails and
-- phones replaced by an md5 prefix), how many records or people it touched, and the
-- detail. Guards: blocklist (junk values), hub (a value shared by too many), and
-- shared_device (a cookie or device tied to several known people).

with

blocked as (
    select * from {{ ref('int_identity_blocked_identifiers') }}
),

hubs as (
    select * from {{ ref('int_identity_hubs') }}
),

devices as (
    select * from {{ ref('int_identity_device_assignments') }}
),

guards as (
    select
        'blocklist' as guard,
        identifier_type,
        identifier_value,
        record_count as affected_count,
        'records carrying the value; matched ' || matched_entry || ' (' || reason || ')' as detail
    from blocked

    union all

    select
        'hub' as guard,
        identifier_type,
        identifier_value,
        distinct_neighbours as affected_count,
        'distinct ' || neighbour_type_over_limit || ' values seen with it; limit '
        || cast(hub_limit as varchar) as detail
    from hubs

    union all

    select
        'shared_device' as guard,
        identifier_type,
        identifier_value,
        greatest(strong_person_count, weak_person_count) as affected_count,
        'known people tied to the device; kept as a profile of its own' as detail
    from devices
    where assignment = 'shared_by_known_people'
),

final as (
    select
        guard,
        identifier_type,
        {{ personagraph.masked_identifier_value('identifier_type', 'identifier_value') }} as identifier_value_masked,
        affected_count,
        detail
    from guards
)

select * from final
