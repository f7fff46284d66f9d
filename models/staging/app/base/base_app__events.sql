-- One row per distinct raw row of app_events (exact copies collapsed and counted), typed
-- and normalised, with the first quarantine rule it breaks (null when the row is used).
{{ config(materialized='table') }}
{%- set raw_columns = [
    'event_id',
    'event_at',
    'device_id',
    'user_id',
    'event_type',
    'product_id',
    'platform',
    'app_version'
] %}

with

source as (
    select * from {{ source('app', 'app_events') }}
),

deduplicated as (
    {{ personagraph.deduplicate_exact_copies('source', raw_columns) }}
),

typed as (
    select
        source_row_number,
        copy_count,
        {{ personagraph.clean_id('event_id') }} as event_id,
        {{ personagraph.parse_timestamp('event_at') }} as event_at,
        {{ personagraph.clean_id('device_id') }} as device_id,
        {{ personagraph.clean_id('user_id') }} as user_id,
        {{ personagraph.accepted_code('event_type', [
            'app_open',
            'product_view',
            'add_to_cart',
            'checkout',
            'login',
            'push_open'
        ]) }} as event_type,
        {{ personagraph.clean_id('product_id') }} as product_id,
        {{ personagraph.accepted_code('platform', ['ios', 'android']) }} as platform,
        {{ personagraph.clean_text('app_version') }} as app_version,
        {{ personagraph.unusable_values([
            ('platform', personagraph.accepted_code('platform', ['ios', 'android']))
        ]) }} as unusable_columns
    from deduplicated
),

validated as (
    select
        *,
        case
            when event_id is null then 'record_id_missing'
            when event_at is null then 'event_at_missing_or_invalid'
            when event_type is null then 'event_type_missing_or_not_accepted'
        end as broken_rule
    from typed
),

final as (
    {{ personagraph.quarantine_later_copies('validated', ['event_id']) }}
)

select * from final
