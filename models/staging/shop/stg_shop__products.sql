-- One row per product.

with

base as (
    select * from {{ ref('base_shop__products') }}
),

final as (
    select
        product_id,
        product_name,
        category,
        price,
        source_row_number,
        unusable_columns
    from base
    where quarantine_rule is null
)

select * from final
