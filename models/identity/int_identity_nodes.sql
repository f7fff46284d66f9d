-- One row per known identifier that takes part in stitching (not blocked, not a hub),
-- with its BIGINT graph key. Anonymous identifiers (cookies, devices) are attached to
-- people afterwards and are never nodes of the stitching graph.

with

occurrences as (
    select * from {{ ref('int_identifier_occurrences') }}
),

blocked as (
    select * from {{ ref('int_identity_blocked_identifiers') }}
),

hubs as (
    select * from {{ ref('int_identity_hubs') }}
),

known_identifiers as (
    select
        identifier_type,
        identifier_value,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at
    from occurrences
    where
        identifier_class = 'known'
        and link_strength = 'strong'
    group by identifier_type, identifier_value
),

final as (
    select
        {{ personagraph.hash_to_bigint(personagraph.identifier_key(
            'known_identifiers.identifier_type', 'known_identifiers.identifier_value'
        )) }} as node_id,
        known_identifiers.identifier_type,
        known_identifiers.identifier_value,
        {{ personagraph.identifier_type_priority('known_identifiers.identifier_type') }} as type_priority,
        known_identifiers.first_seen_at,
        known_identifiers.last_seen_at
    from known_identifiers
    left join blocked
        on
            known_identifiers.identifier_type = blocked.identifier_type
            and known_identifiers.identifier_value = blocked.identifier_value
    left join hubs
        on
            known_identifiers.identifier_type = hubs.identifier_type
            and known_identifiers.identifier_value = hubs.identifier_value
    where
        blocked.identifier_type is null
        and hubs.identifier_type is null
)

select * from final
