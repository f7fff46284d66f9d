-- One row per raw row of web_events, typed and normalised row by row, with the first
-- rule it breaks (null when none). Incremental: no row depends on another, so rows
-- appended to the file since the previous build are typed on their own
-- (macros/utils/typed_raw_rows.sql); exact copies and repeated ids are decided in
-- base_web__events.
{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set raw_columns = [
    'event_id',
    'event_at',
    'anonymous_id',
    'user_id',
    'email',
    'esp_record_id',
    'event_type',
    'page_url',
    'product_id',
    'device_type',
    'ip_address',
    'user_agent'
] %}
{%- set checked_columns = [
    'email',
    'device_type'
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
        event_id,
        {{ personagraph.parse_timestamp('event_at', already_clean=true) }} as event_at,
        anonymous_id,
        user_id,
        {{ personagraph.normalize_email('email', already_clean=true) }} as email,
        esp_record_id,
        {{ personagraph.accepted_code('event_type', [
            'page_view',
            'product_view',
            'add_to_cart',
            'checkout',
            'form_submit',
            'login',
            'email_click'
        ], already_clean=true) }} as event_type,
        page_url,
        product_id,
        {{ personagraph.accepted_code('device_type', ['desktop', 'mobile', 'tablet'], already_clean=true) }} as device_type,
        ip_address,
        user_agent,
        {{ personagraph.raw_value_presence(checked_columns) }}
    from cleaned
),

validated as (
    select
        {{ personagraph.star_except(personagraph.raw_presence_columns(checked_columns)) }},
        {{ personagraph.unusable_columns(checked_columns) }} as unusable_columns,
        case
            when event_id is null then 'record_id_missing'
            when event_at is null then 'event_at_missing_or_invalid'
            when event_type is null then 'event_type_missing_or_not_accepted'
        end as broken_rule
    from typed
)
{%- endset %}

with

source as (
    {{ personagraph.new_raw_rows(source('web', 'web_events'), raw_columns, local_md5(typing)) }}
),

{{ typing }},

final as (
    select
        *,
        '{{ local_md5(typing) }}' as typing_version
    from validated
)

select * from final
