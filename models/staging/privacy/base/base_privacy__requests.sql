-- One row per distinct raw row of privacy_requests (exact copies collapsed and counted), typed
-- and normalised, with the first quarantine rule it breaks (null when the row is used).
{{ config(materialized='table') }}
{%- set raw_columns = [
    'request_id',
    'subject_type',
    'subject_value',
    'request_type',
    'requested_at'
] %}

with

source as (
    select * from {{ source('privacy', 'privacy_requests') }}
),

deduplicated as (
    {{ personagraph.deduplicate_exact_copies('source', raw_columns) }}
),

typed as (
    select
        source_row_number,
        copy_count,
        {{ personagraph.clean_id('request_id') }} as request_id,
        {{ personagraph.accepted_code('subject_type', [
            'email',
            'phone',
            'customer_id',
            'anonymous_id',
            'device_id'
        ]) }} as subject_type,
        case lower({{ personagraph.clean_text('subject_type') }})
            when 'email' then {{ personagraph.normalize_email('subject_value') }}
            when 'phone' then {{ personagraph.normalize_phone('subject_value') }}
            else {{ personagraph.clean_id('subject_value') }}
        end as subject_value,
        {{ personagraph.accepted_code('request_type', ['erasure', 'access']) }} as request_type,
        {{ personagraph.parse_timestamp('requested_at') }} as requested_at,
        {{ personagraph.unusable_values([
            ('requested_at', personagraph.parse_timestamp('requested_at'))
        ]) }} as unusable_columns
    from deduplicated
),

validated as (
    select
        *,
        case
            when request_id is null then 'record_id_missing'
            when subject_type is null then 'subject_type_missing_or_not_accepted'
            when subject_value is null then 'subject_value_missing_or_invalid'
            when request_type is null then 'request_type_missing_or_not_accepted'
        end as broken_rule
    from typed
),

final as (
    {{ personagraph.quarantine_later_copies('validated', ['request_id']) }}
)

select * from final
