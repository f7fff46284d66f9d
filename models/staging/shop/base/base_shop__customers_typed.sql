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
typed as (
    select
        source_row_number,
        raw_row_hash,
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
        {{ personagraph.raw_value_presence(checked_columns) }}
    from source
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
