-- One row per order line.

with

base as (
    {{ personagraph.used_typed_rows('base_shop__order_lines') }}
),

final as (
    select
        order_id,
        line_number,
        product_id,
        quantity,
        unit_price,
        source_row_number,
        unusable_columns
    from base
)

select * from final
