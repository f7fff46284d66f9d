-- One row per raw row of products, typed and normalised row by row, with the first
-- rule it breaks (null when none). Incremental: no row depends on another, so rows
-- appended to the file since the previous build are typed on their own
-- (macros/utils/typed_raw_rows.sql); exact copies and repeated ids are decided in
-- base_shop__products.
{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set raw_columns = [
    'product_id',
    'product_name',
    'category',
    'price'
] %}
{%- set checked_columns = [
    'price'
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
        product_id,
        product_name,
        lower(category) as category,
        {{ personagraph.parse_decimal('price', already_clean=true) }} as price,
        {{ personagraph.raw_value_presence(checked_columns) }}
    from cleaned
),

validated as (
    select
        {{ personagraph.star_except(personagraph.raw_presence_columns(checked_columns)) }},
        {{ personagraph.unusable_columns(checked_columns) }} as unusable_columns,
        case
            when product_id is null then 'record_id_missing'
        end as broken_rule
    from typed
)
{%- endset %}

with

source as (
    {{ personagraph.new_raw_rows(source('shop', 'products'), raw_columns, local_md5(typing)) }}
),

{{ typing }},

final as (
    select
        *,
        '{{ local_md5(typing) }}' as typing_version
    from validated
)

select * from final
