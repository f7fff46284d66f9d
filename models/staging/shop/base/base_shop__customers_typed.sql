-- One row per raw row of shop_customers, typed and normalised row by row, with the first
-- rule it breaks (null when none). Incremental: no row depends on another, so rows
-- appended to the file since the previous build are typed on their own
-- (macros/utils/typed_raw_rows.sql); exact copies and repeated ids are decided in
-- base_shop__customers.
{{ config(materialized='incremental', incremental_strategy='append') }}
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
{%- set checked_columns = [
    'email',
    'phone',
    'created_at',
    'updated_at',
    'accepts_marketing'
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
        customer_id,
        {{ personagraph.normalize_email('email', already_clean=true) }} as email,
        {{ personagraph.normalize_phone('phone', already_clean=true) }} as phone,
        first_name,
        {{ personagraph.normalize_name('first_name', already_clean=true) }} as first_name_normalized,
        last_name,
        {{ personagraph.normalize_name('last_name', already_clean=true) }} as last_name_normalized,
        {{ personagraph.parse_timestamp('created_at', already_clean=true) }} as created_at,
        {{ personagraph.parse_timestamp('updated_at', already_clean=true) }} as updated_at,
        {{ personagraph.parse_boolean('accepts_marketing', already_clean=true) }} as accepts_marketing,
        {{ personagraph.raw_value_presence(checked_columns) }}
    from cleaned
),

validated as (
    select
        {{ personagraph.star_except(personagraph.raw_presence_columns(checked_columns)) }},
        {{ personagraph.unusable_columns(checked_columns) }} as unusable_columns,
        case
            when customer_id is null then 'record_id_missing'
        end as broken_rule
    from typed
)
{%- endset %}

with

source as (
    {{ personagraph.new_raw_rows(source('shop', 'shop_customers'), raw_columns, local_md5(typing)) }}
),

{{ typing }},

final as (
    select
        *,
        '{{ local_md5(typing) }}' as typing_version
    from validated
)

select * from final
