-- One row per distinct raw row of order_lines (exact copies collapsed and counted), typed
-- and normalised, with the first quarantine rule it breaks (null when the row is used).
{{ config(materialized='table') }}
{%- set raw_columns = [
    'order_id',
    'line_number',
    'product_id',
    'quantity',
    'unit_price'
] %}

with

source as (
    select * from {{ source('shop', 'order_lines') }}
),

deduplicated as (
    {{ personagraph.deduplicate_exact_copies('source', raw_columns) }}
),

typed as (
    select
        source_row_number,
        copy_count,
        {{ personagraph.clean_id('order_id') }} as order_id,
        {{ personagraph.parse_integer('line_number') }} as line_number,
        {{ personagraph.clean_id('product_id') }} as product_id,
        {{ personagraph.parse_integer('quantity') }} as quantity,
        {{ personagraph.parse_decimal('unit_price') }} as unit_price,
        cast(null as {{ dbt.type_string() }}) as unusable_columns
    from deduplicated
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
),

final as (
    {{ personagraph.quarantine_later_copies('validated', ['order_id', 'line_number']) }}
)

select * from final
