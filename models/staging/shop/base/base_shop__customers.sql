-- One row per distinct raw row of shop_customers (exact copies collapsed and counted), typed
-- and normalised, with the first quarantine rule it breaks (null when the row is used).
{{ config(materialized='table') }}
{%- set raw_columns = [
    'customer_id',
    'email',
    'phone',
    'first_name',
    'last_name',
    'created_at',
    'updated_at',
    'accepts_marketing'
] %}

with

source as (
    select * from {{ source('shop', 'shop_customers') }}
),

deduplicated as (
    {{ personagraph.deduplicate_exact_copies('source', raw_columns) }}
),

typed as (
    select
        source_row_number,
        copy_count,
        {{ personagraph.clean_id('customer_id') }} as customer_id,
        {{ personagraph.normalize_email('email') }} as email,
        {{ personagraph.normalize_phone('phone') }} as phone,
        {{ personagraph.clean_name('first_name') }} as first_name,
        {{ personagraph.normalize_name('first_name') }} as first_name_normalized,
        {{ personagraph.clean_name('last_name') }} as last_name,
        {{ personagraph.normalize_name('last_name') }} as last_name_normalized,
        {{ personagraph.parse_timestamp('created_at') }} as created_at,
        {{ personagraph.parse_timestamp('updated_at') }} as updated_at,
        {{ personagraph.parse_boolean('accepts_marketing') }} as accepts_marketing,
        {{ personagraph.unusable_values([
            ('email', personagraph.normalize_email('email')),
            ('phone', personagraph.normalize_phone('phone')),
            ('created_at', personagraph.parse_timestamp('created_at')),
            ('updated_at', personagraph.parse_timestamp('updated_at')),
            ('accepts_marketing', personagraph.parse_boolean('accepts_marketing'))
        ]) }} as unusable_columns
    from deduplicated
),

validated as (
    select
        *,
        case
            when customer_id is null then 'record_id_missing'
        end as broken_rule
    from typed
),

versioned as (
    {{ personagraph.rank_record_versions('validated', ['customer_id'], 'updated_at') }}
),

final as (
    select
        *,
        quarantine_rule is null and version_rank = 1 as is_current_version
    from versioned
)

select * from final
