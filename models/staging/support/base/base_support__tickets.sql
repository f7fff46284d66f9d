-- One row per distinct raw row of support_tickets (exact copies collapsed and counted), typed
-- and normalised, with the first quarantine rule it breaks (null when the row is used).
{{ config(materialized='table') }}
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

with

source as (
    select * from {{ source('support', 'support_tickets') }}
),

deduplicated as (
    {{ personagraph.deduplicate_exact_copies('source', raw_columns) }}
),

typed as (
    select
        source_row_number,
        copy_count,
        {{ personagraph.clean_id('ticket_id') }} as ticket_id,
        {{ personagraph.parse_timestamp('created_at') }} as created_at,
        {{ personagraph.accepted_code('channel', ['phone', 'email', 'chat']) }} as channel,
        {{ personagraph.normalize_email('email') }} as email,
        {{ personagraph.normalize_phone('phone') }} as phone,
        {{ personagraph.clean_name('customer_name') }} as customer_name,
        {{ personagraph.normalize_name('customer_name') }} as customer_name_normalized,
        {{ personagraph.clean_text('topic') }} as topic,
        case
            when {{ personagraph.parse_integer('satisfaction_score') }} between 1 and 5
                then {{ personagraph.parse_integer('satisfaction_score') }}
        end as satisfaction_score,
        {{ personagraph.unusable_values([
            ('channel', personagraph.accepted_code('channel', ['phone', 'email', 'chat'])),
            ('email', personagraph.normalize_email('email')),
            ('phone', personagraph.normalize_phone('phone')),
            ('satisfaction_score', personagraph.parse_integer('satisfaction_score'))
        ]) }} as unusable_columns
    from deduplicated
),

validated as (
    select
        *,
        case
            when ticket_id is null then 'record_id_missing'
            when created_at is null then 'created_at_missing_or_invalid'
        end as broken_rule
    from typed
),

final as (
    {{ personagraph.quarantine_later_copies('validated', ['ticket_id']) }}
)

select * from final
