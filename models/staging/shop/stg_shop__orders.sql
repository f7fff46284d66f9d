-- One row per order, guest checkouts included.

with

typed_rows as (
    select * from {{ ref('base_shop__orders_typed') }}
),

decisions as (
    select * from {{ ref('base_shop__orders') }}
),

final as (
    select
        typed_rows.order_id,
        typed_rows.customer_id,
        typed_rows.email,
        typed_rows.phone,
        typed_rows.ordered_at,
        typed_rows.channel,
        typed_rows.store_id,
        typed_rows.currency,
        typed_rows.total_amount,
        typed_rows.discount_amount,
        typed_rows.status,
        typed_rows.loyalty_id,
        typed_rows.payment_fingerprint,
        typed_rows.ship_address_line1,
        typed_rows.ship_city,
        typed_rows.ship_postcode,
        typed_rows.ship_postcode_normalized,
        typed_rows.ship_country,
        typed_rows.source_row_number,
        typed_rows.unusable_columns
    from typed_rows
    inner join decisions
        on typed_rows.source_row_number = decisions.source_row_number
    where decisions.quarantine_rule is null
)

select * from final
