-- One row per raw row of enrichment_profiles, typed and normalised row by row, with the first
-- rule it breaks (null when none). Incremental: no row depends on another, so rows
-- appended to the file since the previous build are typed on their own
-- (macros/utils/typed_raw_rows.sql); exact copies and repeated ids are decided in
-- base_enrichment__profiles.
{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set raw_columns = [
    'email',
    'social_handle',
    'interests',
    'age_band',
    'influence_score',
    'fetched_at'
] %}
{%- set checked_columns = [
    'influence_score',
    'fetched_at'
] %}
{%- set typing %}
cleaned as (
    select
        source_row_number,
        raw_row_hash,
        md5({{ personagraph.raw_record_json(raw_columns) }}) as enrichment_profile_key,
        {{ personagraph.clean_columns(raw_columns) }}
    from source
),

typed as (
    select
        source_row_number,
        raw_row_hash,
        enrichment_profile_key,
        {{ personagraph.normalize_email('email', already_clean=true) }} as email,
        social_handle,
        lower(interests) as interests,
        age_band,
        {{ personagraph.parse_decimal('influence_score', already_clean=true) }} as influence_score,
        {{ personagraph.parse_timestamp('fetched_at', already_clean=true) }} as fetched_at,
        {{ personagraph.raw_value_presence(checked_columns) }}
    from cleaned
),

validated as (
    select
        {{ personagraph.star_except(personagraph.raw_presence_columns(checked_columns)) }},
        {{ personagraph.unusable_columns(checked_columns) }} as unusable_columns,
        case
            when email is null then 'email_missing_or_invalid'
        end as broken_rule
    from typed
)
{%- endset %}

with

source as (
    {{ personagraph.new_raw_rows(source('enrichment', 'enrichment_profiles'), raw_columns, local_md5(typing)) }}
),

{{ typing }},

final as (
    select
        *,
        '{{ local_md5(typing) }}' as typing_version
    from validated
)

select * from final
