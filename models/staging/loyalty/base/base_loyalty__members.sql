-- One row per distinct raw row of loyalty_members (exact copies collapsed and counted), typed
-- and normalised, with the first quarantine rule it breaks (null when the row is used).
{{ config(materialized='table') }}
{%- set raw_columns = [
    'loyalty_id',
    'email',
    'phone',
    'first_name',
    'last_name',
    'date_of_birth',
    'postcode',
    'tier',
    'points_balance',
    'joined_at'
] %}

with

source as (
    select * from {{ source('loyalty', 'loyalty_members') }}
),

deduplicated as (
    {{ personagraph.deduplicate_exact_copies('source', raw_columns) }}
),

typed as (
    select
        source_row_number,
        copy_count,
        {{ personagraph.clean_id('loyalty_id') }} as loyalty_id,
        {{ personagraph.normalize_email('email') }} as email,
        {{ personagraph.normalize_phone('phone') }} as phone,
        {{ personagraph.clean_name('first_name') }} as first_name,
        {{ personagraph.normalize_name('first_name') }} as first_name_normalized,
        {{ personagraph.clean_name('last_name') }} as last_name,
        {{ personagraph.normalize_name('last_name') }} as last_name_normalized,
        {{ personagraph.parse_date('date_of_birth') }} as date_of_birth,
        {{ personagraph.clean_text('postcode') }} as postcode,
        {{ personagraph.normalize_postcode('postcode') }} as postcode_normalized,
        lower({{ personagraph.clean_text('tier') }}) as tier,
        {{ personagraph.parse_integer('points_balance') }} as points_balance,
        {{ personagraph.parse_timestamp('joined_at') }} as joined_at,
        {{ personagraph.unusable_values([
            ('email', personagraph.normalize_email('email')),
            ('phone', personagraph.normalize_phone('phone')),
            ('date_of_birth', personagraph.parse_date('date_of_birth')),
            ('points_balance', personagraph.parse_integer('points_balance')),
            ('joined_at', personagraph.parse_timestamp('joined_at'))
        ]) }} as unusable_columns
    from deduplicated
),

validated as (
    select
        *,
        case
            when loyalty_id is null then 'record_id_missing'
        end as broken_rule
    from typed
),

final as (
    {{ personagraph.quarantine_later_copies('validated', ['loyalty_id']) }}
)

select * from final
