-- One row per raw row of privacy_requests, typed and normalised row by row, with the first
-- rule it breaks (null when none). Incremental: no row depends on another, so rows
-- appended to the file since the previous build are typed on their own
-- (macros/utils/typed_raw_rows.sql); exact copies and repeated ids are decided in
-- base_privacy__requests.
{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set raw_columns = [
    'request_id',
    'subject_type',
    'subject_value',
    'request_type',
    'requested_at'
] %}
{%- set checked_columns = [
    'requested_at'
] %}
{%- set typing %}
cleaned as (
    select
        source_row_number,
        raw_row_hash,
        {{ personagraph.clean_columns(raw_columns) }}
    from source
),

typed as (
    select
        source_row_number,
        raw_row_hash,
        request_id,
        {{ personagraph.accepted_code('subject_type', [
            'email',
            'phone',
            'customer_id',
            'anonymous_id',
            'device_id'
        ], already_clean=true) }} as subject_type,
        case lower(subject_type)
            when 'email' then {{ personagraph.normalize_email('subject_value', already_clean=true) }}
            when 'phone' then {{ personagraph.normalize_phone('subject_value', already_clean=true) }}
            else subject_value
        end as subject_value,
        {{ personagraph.accepted_code('request_type', ['erasure', 'access'], already_clean=true) }} as request_type,
        {{ personagraph.parse_timestamp('requested_at', already_clean=true) }} as requested_at,
        {{ personagraph.raw_value_presence(checked_columns) }}
    from cleaned
),

validated as (
    select
        {{ personagraph.star_except(personagraph.raw_presence_columns(checked_columns)) }},
        {{ personagraph.unusable_columns(checked_columns) }} as unusable_columns,
        case
            when request_id is null then 'record_id_missing'
            when subject_type is null then 'subject_type_missing_or_not_accepted'
            when subject_value is null then 'subject_value_missing_or_invalid'
            when request_type is null then 'request_type_missing_or_not_accepted'
        end as broken_rule
    from typed
)
{%- endset %}

with

source as (
    {{ personagraph.new_raw_rows(source('privacy', 'privacy_requests'), raw_columns, local_md5(typing)) }}
),

{{ typing }},

final as (
    select
        *,
        '{{ local_md5(typing) }}' as typing_version
    from validated
)

select * from final
