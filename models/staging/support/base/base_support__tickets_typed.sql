-- One row per raw row of support_tickets, typed and normalised row by row, with the first
-- rule it breaks (null when none). Incremental: no row depends on another, so rows
-- appended to the file since the previous build are typed on their own
-- (macros/utils/typed_raw_rows.sql); exact copies and repeated ids are decided in
-- base_support__tickets.
{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set raw_columns = [
    'ticket_id',
    'created_at',
    'channel',
    'email',
    'phone',
    'customer_name',
    'topic',
    'satisfaction_score'
] %}
{%- set checked_columns = [
    'channel',
    'email',
    'phone',
    'satisfaction_score'
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
        ticket_id,
        {{ personagraph.parse_timestamp('created_at', already_clean=true) }} as created_at,
        {{ personagraph.accepted_code('channel', ['phone', 'email', 'chat'], already_clean=true) }} as channel,
        {{ personagraph.normalize_email('email', already_clean=true) }} as email,
        {{ personagraph.normalize_phone('phone', already_clean=true) }} as phone,
        customer_name,
        {{ personagraph.normalize_name('customer_name', already_clean=true) }} as customer_name_normalized,
        topic,
        case
            when {{ personagraph.parse_integer('satisfaction_score', already_clean=true) }} between 1 and 5
                then {{ personagraph.parse_integer('satisfaction_score', already_clean=true) }}
        end as satisfaction_score,
        {{ personagraph.raw_value_presence(checked_columns) }}
    from cleaned
),

validated as (
    select
        {{ personagraph.star_except(personagraph.raw_presence_columns(checked_columns)) }},
        {{ personagraph.unusable_columns(checked_columns) }} as unusable_columns,
        case
            when ticket_id is null then 'record_id_missing'
            when created_at is null then 'created_at_missing_or_invalid'
        end as broken_rule
    from typed
)
{%- endset %}

with

source as (
    {{ personagraph.new_raw_rows(source('support', 'support_tickets'), raw_columns, local_md5(typing)) }}
),

{{ typing }},

final as (
    select
        *,
        '{{ local_md5(typing) }}' as typing_version
    from validated
)

select * from final
