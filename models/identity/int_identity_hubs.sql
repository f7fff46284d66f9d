-- One row per known identifier seen, on the same records, with more distinct
-- identifiers of one other type than that type's hub limit allows (vars
-- identity__hub_limit_<type>): a store's email on many customers' orders, a phone on
-- two shop accounts. Hubs are kept out of stitching so that one shared value cannot
-- collapse several people into one. Types in identity__hub_exempt_types never are.

with

occurrences as (
    select * from {{ ref('int_identifier_occurrences') }}
),

blocked as (
    select * from {{ ref('int_identity_blocked_identifiers') }}
),

known_strong as (
    select
        occurrences.source_table,
        occurrences.source_record_id,
        occurrences.identifier_type,
        occurrences.identifier_value
    from occurrences
    left join blocked
        on
            occurrences.identifier_type = blocked.identifier_type
            and occurrences.identifier_value = blocked.identifier_value
    where
        occurrences.identifier_class = 'known'
        and occurrences.link_strength = 'strong'
        and blocked.identifier_type is null
),

record_pairs as (
    select distinct
        identifier.identifier_type,
        identifier.identifier_value,
        neighbour.identifier_type as neighbour_type,
        neighbour.identifier_value as neighbour_value
    from known_strong as identifier
    inner join known_strong as neighbour
        on
            identifier.source_table = neighbour.source_table
            and identifier.source_record_id = neighbour.source_record_id
    where identifier.identifier_type != neighbour.identifier_type
),

neighbour_counts as (
    select
        identifier_type,
        identifier_value,
        neighbour_type,
        count(*) as distinct_neighbours
    from record_pairs
    group by identifier_type, identifier_value, neighbour_type
),

over_limit as (
    select
        identifier_type,
        identifier_value,
        neighbour_type,
        distinct_neighbours,
        {{ personagraph.hub_limit('neighbour_type') }} as hub_limit
    from neighbour_counts
    where identifier_type not in {{ personagraph.hub_exempt_types() }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by identifier_type, identifier_value
            order by distinct_neighbours - hub_limit desc, neighbour_type
        ) as excess_rank
    from over_limit
    where distinct_neighbours > hub_limit
),

final as (
    select
        identifier_type,
        identifier_value,
        neighbour_type as neighbour_type_over_limit,
        distinct_neighbours,
        hub_limit
    from ranked
    where excess_rank = 1
)

select * from final
