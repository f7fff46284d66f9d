-- One row per distinct identifier that the blocklist seed rejects (junk and placeholder
-- values such as test@test.com or 0000000000), with the entry that matched.

with

occurrences as (
    select * from {{ ref('int_identifier_occurrences') }}
),

blocklist as (
    select * from {{ ref('identity_blocklist') }}
),

distinct_identifiers as (
    select
        identifier_type,
        identifier_value,
        count(distinct source_table || ':' || source_record_id) as record_count
    from occurrences
    group by identifier_type, identifier_value
),

matches as (
    select
        distinct_identifiers.identifier_type,
        distinct_identifiers.identifier_value,
        distinct_identifiers.record_count,
        blocklist.match_type,
        blocklist.match_value,
        blocklist.reason
    from distinct_identifiers
    inner join blocklist
        on
            (distinct_identifiers.identifier_type = blocklist.identifier_type or blocklist.identifier_type = '*')
            and (
                (
                    blocklist.match_type = 'exact'
                    and lower(distinct_identifiers.identifier_value) = blocklist.match_value
                )
                or (
                    blocklist.match_type = 'pattern'
                    and {{ personagraph.regex_matches_column(
                        'distinct_identifiers.identifier_value', 'blocklist.match_value'
                    ) }}
                )
            )
),

final as (
    select
        identifier_type,
        identifier_value,
        record_count,
        min(match_type || ':' || match_value) as matched_entry,
        min(reason) as reason
    from matches
    group by identifier_type, identifier_value, record_count
)

select * from final
