-- One row per distinct raw row of enrichment_profiles (exact copies collapsed and counted), typed
-- and normalised, with the first quarantine rule it breaks (null when the row is used).
{{ config(materialized='table') }}
{%- set raw_columns = [
    'email',
    'social_handle',
    'interests',
    'age_band',
    'influence_score',
    'fetched_at'
] %}

with

source as (
    select * from {{ source('enrichment', 'enrichment_profiles') }}
),

deduplicated as (
    {{ personagraph.deduplicate_exact_copies('source', raw_columns) }}
),

typed as (
    select
        source_row_number,
        copy_count,
        md5({{ personagraph.raw_record_json(raw_columns) }}) as enrichment_profile_key,
        {{ personagraph.normalize_email('email') }} as email,
        {{ personagraph.clean_text('social_handle') }} as social_handle,
        lower({{ personagraph.clean_text('interests') }}) as interests,
        {{ personagraph.clean_text('age_band') }} as age_band,
        {{ personagraph.parse_decimal('influence_score') }} as influence_score,
        {{ personagraph.parse_timestamp('fetched_at') }} as fetched_at,
        {{ personagraph.unusable_values([
            ('influence_score', personagraph.parse_decimal('influence_score')),
            ('fetched_at', personagraph.parse_timestamp('fetched_at'))
        ]) }} as unusable_columns
    from deduplicated
),

validated as (
    select
        *,
        case
            when email is null then 'email_missing_or_invalid'
        end as broken_rule
    from typed
),

final as (
    {{ personagraph.quarantine_later_copies('validated', ['enrichment_profile_key']) }}
)

select * from final
