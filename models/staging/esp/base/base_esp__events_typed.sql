-- One row per raw row of esp_events, typed and normalised row by row, with the first
-- rule it breaks (null when none). Incremental: no row depends on another, so rows
-- appended to the file since the previous build are typed on their own
-- (macros/utils/typed_raw_rows.sql); exact copies and repeated ids are decided in
-- base_esp__events.
{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set raw_columns = [
    'esp_record_id',
    'event_at',
    'event_type',
    'campaign_id'
] %}
{%- set typing %}
cleaned as (
    select
        source_row_number,
        raw_row_hash,
        md5({{ personagraph.raw_record_json(raw_columns) }}) as esp_event_key,
        {{ personagraph.clean_columns(raw_columns) }}
    from source
),

typed as (
    select
        source_row_number,
        raw_row_hash,
        esp_event_key,
        esp_record_id,
        {{ personagraph.parse_timestamp('event_at', already_clean=true) }} as event_at,
        {{ personagraph.accepted_code('event_type', [
            'send',
            'open',
            'click',
            'bounce',
            'unsubscribe'
        ], already_clean=true) }} as event_type,
        campaign_id,
        cast(null as {{ dbt.type_string() }}) as unusable_columns
    from cleaned
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
)
{%- endset %}

with

source as (
    {{ personagraph.new_raw_rows(source('esp', 'esp_events'), raw_columns, local_md5(typing)) }}
),

{{ typing }},

final as (
    select
        *,
        '{{ local_md5(typing) }}' as typing_version
    from validated
)

select * from final
