-- One row per distinct raw row of esp_events (exact copies collapsed and counted), typed
-- and normalised, with the first quarantine rule it breaks (null when the row is used).
{{ config(materialized='table') }}
{%- set raw_columns = [
    'esp_record_id',
    'event_at',
    'event_type',
    'campaign_id'
] %}

with

source as (
    select * from {{ source('esp', 'esp_events') }}
),

deduplicated as (
    {{ personagraph.deduplicate_exact_copies('source', raw_columns) }}
),

typed as (
    select
        source_row_number,
        copy_count,
        md5({{ personagraph.raw_record_json(raw_columns) }}) as esp_event_key,
        {{ personagraph.clean_id('esp_record_id') }} as esp_record_id,
        {{ personagraph.parse_timestamp('event_at') }} as event_at,
        {{ personagraph.accepted_code('event_type', [
            'send',
            'open',
            'click',
            'bounce',
            'unsubscribe'
        ]) }} as event_type,
        {{ personagraph.clean_id('campaign_id') }} as campaign_id,
        cast(null as {{ dbt.type_string() }}) as unusable_columns
    from deduplicated
),

validated as (
    select
        *,
        case
            when esp_record_id is null then 'esp_record_id_missing'
            when event_at is null then 'event_at_missing_or_invalid'
            when event_type is null then 'event_type_missing_or_not_accepted'
        end as broken_rule
    from typed
),

final as (
    {{ personagraph.quarantine_later_copies('validated', ['esp_event_key']) }}
)

select * from final
