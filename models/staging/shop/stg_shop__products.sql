-- One row per product.

with

base as (
    {{ personagraph.used_typed_rows('base_shop__products') }}
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
)

select * from final
