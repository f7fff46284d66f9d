-- One row per product.

with

typed_rows as (
    select * from {{ ref('base_shop__products_typed') }}
),

decisions as (
    select * from {{ ref('base_shop__products') }}
),

final as (
    select
        typed_rows.product_id,
        typed_rows.product_name,
        typed_rows.category,
        typed_rows.price,
        typed_rows.source_row_number,
        typed_rows.unusable_columns
    from typed_rows
    inner join decisions
        on typed_rows.source_row_number = decisions.source_row_number
    where decisions.quarantine_rule is null
)

select * from final
