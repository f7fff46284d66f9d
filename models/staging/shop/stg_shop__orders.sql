-- One row per order, guest checkouts included.

with

base as (
    {{ personagraph.used_typed_rows('base_shop__orders') }}
),

final as (
    select
        order_id,
        customer_id,
        email,
        phone,
        ordered_at,
        channel,
        store_id,
        currency,
        total_amount,
        discount_amount,
        status,
        loyalty_id,
        payment_fingerprint,
        ship_address_line1,
        ship_city,
        ship_postcode,
        ship_postcode_normalized,
        ship_country,
        source_row_number,
        unusable_columns
    from base
)

select * from final
