-- One row per raw row of consent_events, typed and normalised row by row, with the first
-- rule it breaks (null when none). Incremental: no row depends on another, so rows
-- appended to the file since the previous build are typed on their own
-- (macros/utils/typed_raw_rows.sql); exact copies and repeated ids are decided in
-- base_privacy__consent_events.
{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set raw_columns = [
    'subject_type',
    'subject_value',
    'purpose',
    'status',
    'recorded_at',
    'source'
] %}
{%- set typing %}
cleaned as (
    select
        source_row_number,
        raw_row_hash,
        md5({{ personagraph.raw_record_json(raw_columns) }}) as consent_event_key,
        {{ personagraph.clean_columns(raw_columns) }}
    from source
),

typed as (
    select
        source_row_number,
        raw_row_hash,
        consent_event_key,
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
        {{ personagraph.accepted_code('purpose', [
            'email_marketing',
            'sms_marketing',
            'personalization',
            'analytics',
            'advertising'
        ], already_clean=true) }} as purpose,
        {{ personagraph.accepted_code('status', ['granted', 'withdrawn'], already_clean=true) }} as status,
        {{ personagraph.parse_timestamp('recorded_at', already_clean=true) }} as recorded_at,
        source as consent_source,
        cast(null as {{ dbt.type_string() }}) as unusable_columns
    from cleaned
),

validated as (
    select
        *,
        case
            when subject_type is null then 'subject_type_missing_or_not_accepted'
            when subject_value is null then 'subject_value_missing_or_invalid'
            when purpose is null then 'purpose_missing_or_not_accepted'
            when status is null then 'status_missing_or_not_accepted'
            when recorded_at is null then 'recorded_at_missing_or_invalid'
        end as broken_rule
    from typed
)
{%- endset %}

with

source as (
    {{ personagraph.new_raw_rows(source('privacy', 'consent_events'), raw_columns, local_md5(typing)) }}
),

{{ typing }},

final as (
    select
        *,
        '{{ local_md5(typing) }}' as typing_version
    from validated
)

select * from final
