-- One row per raw row of esp_contacts, typed and normalised row by row, with the first
-- rule it breaks (null when none). Incremental: no row depends on another, so rows
-- appended to the file since the previous build are typed on their own
-- (macros/utils/typed_raw_rows.sql); exact copies and repeated ids are decided in
-- base_esp__contacts.
{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set raw_columns = [
    'esp_record_id',
    'email',
    'subscribed',
    'subscribed_at',
    'unsubscribed_at'
] %}
{%- set checked_columns = [
    'email',
    ('subscribed', 'is_subscribed'),
    'subscribed_at',
    'unsubscribed_at'
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
        esp_record_id,
        {{ personagraph.normalize_email('email', already_clean=true) }} as email,
        {{ personagraph.parse_boolean('subscribed', already_clean=true) }} as is_subscribed,
        {{ personagraph.parse_timestamp('subscribed_at', already_clean=true) }} as subscribed_at,
        {{ personagraph.parse_timestamp('unsubscribed_at', already_clean=true) }} as unsubscribed_at,
        {{ personagraph.raw_value_presence(checked_columns) }}
    from cleaned
),

validated as (
    select
        {{ personagraph.star_except(personagraph.raw_presence_columns(checked_columns)) }},
        {{ personagraph.unusable_columns(checked_columns) }} as unusable_columns,
        case
            when esp_record_id is null then 'record_id_missing'
        end as broken_rule
    from typed
)
{%- endset %}

with

source as (
    {{ personagraph.new_raw_rows(source('esp', 'esp_contacts'), raw_columns, local_md5(typing)) }}
),

{{ typing }},

final as (
    select
        *,
        '{{ local_md5(typing) }}' as typing_version
    from validated
)

select * from final
