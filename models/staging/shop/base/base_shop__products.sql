-- One row per distinct raw row of products (exact copies collapsed and counted), typed
-- and normalised, with the first quarantine rule it breaks (null when the row is used).
{{ config(materialized='table') }}
{%- set raw_columns = [
    'product_id',
    'product_name',
    'category',
    'price'
] %}

with

source as (
    select * from {{ source('shop', 'products') }}
),

deduplicated as (
    {{ personagraph.deduplicate_exact_copies('source', raw_columns) }}
),

typed as (
    select
        source_row_number,
        copy_count,
        {{ personagraph.clean_id('product_id') }} as product_id,
        {{ personagraph.clean_text('product_name') }} as product_name,
        lower({{ personagraph.clean_text('category') }}) as category,
        {{ personagraph.parse_decimal('price') }} as price,
        {{ personagraph.unusable_values([
            ('price', personagraph.parse_decimal('price'))
        ]) }} as unusable_columns
    from deduplicated
),

validated as (
    select
        *,
        case
            when product_id is null then 'record_id_missing'
        end as broken_rule
    from typed
),

final as (
    {{ personagraph.quarantine_later_copies('validated', ['product_id']) }}
)

select * from final
