-- One row per enrichment profile fetch.

with

typed_rows as (
    select * from {{ ref('base_enrichment__profiles_typed') }}
),

decisions as (
    select * from {{ ref('base_enrichment__profiles') }}
),

final as (
    select
        typed_rows.enrichment_profile_key,
        typed_rows.email,
        typed_rows.social_handle,
        typed_rows.interests,
        typed_rows.age_band,
        typed_rows.influence_score,
        typed_rows.fetched_at,
        typed_rows.source_row_number,
        typed_rows.unusable_columns
    from typed_rows
    inner join decisions
        on typed_rows.source_row_number = decisions.source_row_number
    where decisions.quarantine_rule is null
)

select * from final
