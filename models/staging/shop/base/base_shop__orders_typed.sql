-- One row per raw row of shop_orders, typed and normalised row by row, with the first
-- rule it breaks (null when none). Incremental: no row depends on another, so rows
-- appended to the file since the previous build are typed on their own
-- (macros/utils/typed_raw_rows.sql); exact copies and repeated ids are decided in
-- base_shop__orders.
{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set raw_columns = [
    'order_id',
    'customer_id',
    'email',
    'phone',
    'ordered_at',
    'channel',
    'store_id',
    'currency',
    'total_amount',
    'discount_amount',
    'status',
    'loyalty_id',
    'payment_fingerprint',
    'ship_address_line1',
    'ship_city',
    'ship_postcode',
    'ship_country'
] %}
{%- set checked_columns = [
    'email',
    'phone',
    'channel',
    'discount_amount',
    'ship_country'
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
        customer_id,
        {{ personagraph.normalize_email('email', already_clean=true) }} as email,
        {{ personagraph.normalize_phone('phone', already_clean=true) }} as phone,
        {{ personagraph.parse_timestamp('ordered_at', already_clean=true) }} as ordered_at,
        {{ personagraph.accepted_code('channel', ['web', 'app', 'store'], already_clean=true) }} as channel,
        store_id,
        upper(currency) as currency,
        {{ personagraph.parse_decimal('total_amount', already_clean=true) }} as total_amount,
        {{ personagraph.parse_decimal('discount_amount', already_clean=true) }} as discount_amount,
        {{ personagraph.accepted_code('status', ['paid', 'refunded', 'cancelled'], already_clean=true) }} as status,
        loyalty_id,
        payment_fingerprint,
        ship_address_line1,
        ship_city,
        ship_postcode,
        {{ personagraph.normalize_postcode('ship_postcode', already_clean=true) }} as ship_postcode_normalized,
        {{ personagraph.normalize_country('ship_country', already_clean=true) }} as ship_country,
        {{ personagraph.raw_value_presence(checked_columns) }}
    from cleaned
),

validated as (
    select
        {{ personagraph.star_except(personagraph.raw_presence_columns(checked_columns)) }},
        {{ personagraph.unusable_columns(checked_columns) }} as unusable_columns,
        case
            when order_id is null then 'record_id_missing'
            when ordered_at is null then 'ordered_at_missing_or_invalid'
            when total_amount is null or total_amount < 0 then 'total_amount_missing_invalid_or_negative'
            when status is null then 'status_missing_or_not_accepted'
        end as broken_rule
    from typed
)
{%- endset %}

with

source as (
    {{ personagraph.new_raw_rows(source('shop', 'shop_orders'), raw_columns, local_md5(typing)) }}
),

{{ typing }},

final as (
    select
        *,
        '{{ local_md5(typing) }}' as typing_version
    from validated
)

select * from final
