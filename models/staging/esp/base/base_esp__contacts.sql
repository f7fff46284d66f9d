-- One row per distinct raw row of esp_contacts (exact copies collapsed and counted), typed
-- and normalised, with the first quarantine rule it breaks (null when the row is used).
{{ config(materialized='table') }}
{%- set raw_columns = [
    'esp_record_id',
    'email',
    'subscribed',
    'subscribed_at',
    'unsubscribed_at'
] %}

with

source as (
    select * from {{ source('esp', 'esp_contacts') }}
),

deduplicated as (
    {{ personagraph.deduplicate_exact_copies('source', raw_columns) }}
),

typed as (
    select
        source_row_number,
        copy_count,
        {{ personagraph.clean_id('esp_record_id') }} as esp_record_id,
        {{ personagraph.normalize_email('email') }} as email,
        {{ personagraph.parse_boolean('subscribed') }} as is_subscribed,
        {{ personagraph.parse_timestamp('subscribed_at') }} as subscribed_at,
        {{ personagraph.parse_timestamp('unsubscribed_at') }} as unsubscribed_at,
        {{ personagraph.unusable_values([
            ('email', personagraph.normalize_email('email')),
            ('subscribed', personagraph.parse_boolean('subscribed')),
            ('subscribed_at', personagraph.parse_timestamp('subscribed_at')),
            ('unsubscribed_at', personagraph.parse_timestamp('unsubscribed_at'))
        ]) }} as unusable_columns
    from deduplicated
),

validated as (
    select
        *,
        case
            when esp_record_id is null then 'record_id_missing'
        end as broken_rule
    from typed
),

final as (
    {{ personagraph.quarantine_later_copies('validated', ['esp_record_id']) }}
)

select * from final
