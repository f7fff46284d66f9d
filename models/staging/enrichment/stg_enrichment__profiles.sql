-- One row per enrichment profile fetch.

with

base as (
    {{ personagraph.used_typed_rows('base_enrichment__profiles') }}
),

final as (
    select
        enrichment_profile_key,
        email,
        social_handle,
        interests,
        age_band,
        influence_score,
        fetched_at,
        source_row_number,
        unusable_columns
    from base
)

select * from final
