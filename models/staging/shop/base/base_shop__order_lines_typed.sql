-- One row per raw row of order_lines, typed and normalised row by row, with the first
-- rule it breaks (null when none). Incremental: no row depends on another, so rows
-- appended to the file since the previous build are typed on their own
-- (macros/utils/typed_raw_rows.sql); exact copies and repeated ids are decided in
-- base_shop__order_lines.
{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set raw_columns = [
    'order_id',
    'line_number',
    'product_id',
    'quantity',
    'unit_price'
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
        order_id,
        {{ personagraph.parse_integer('line_number', already_clean=true) }} as line_number,
        product_id,
        {{ personagraph.parse_integer('quantity', already_clean=true) }} as quantity,
        {{ personagraph.parse_decimal('unit_price', already_clean=true) }} as unit_price,
        cast(null as {{ dbt.type_string() }}) as unusable_columns
    from cleaned
),

validated as (
    select
        *,
        case
            when order_id is null then 'record_id_missing'
            when line_number is null then 'line_number_missing_or_invalid'
            when quantity is null or quantity <= 0 then 'quantity_missing_invalid_or_not_positive'
            when unit_price is null or unit_price < 0 then 'unit_price_missing_invalid_or_negative'
        end as broken_rule
    from typed
)
{%- endset %}

with

source as (
    {{ personagraph.new_raw_rows(source('shop', 'order_lines'), raw_columns, local_md5(typing)) }}
),

{{ typing }},

final as (
    select
        *,
        '{{ local_md5(typing) }}' as typing_version
    from validated
)

select * from final
