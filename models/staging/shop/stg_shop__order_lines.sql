-- One row per order line.

with

typed_rows as (
    select * from {{ ref('base_shop__order_lines_typed') }}
),

decisions as (
    select * from {{ ref('base_shop__order_lines') }}
),

final as (
    select
        typed_rows.order_id,
        typed_rows.line_number,
        typed_rows.product_id,
        typed_rows.quantity,
        typed_rows.unit_price,
        typed_rows.source_row_number,
        typed_rows.unusable_columns
    from typed_rows
    inner join decisions
        on typed_rows.source_row_number = decisions.source_row_number
    where decisions.quarantine_rule is null
)

select * from final
