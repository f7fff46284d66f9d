-- One row per distinct raw row of shop_orders (exact copies collapsed and counted), typed
-- and normalised, with the first quarantine rule it breaks (null when the row is used).
{{ config(materialized='table') }}

with

typed_rows as (
    select * from {{ ref('base_shop__orders_typed') }}
),

validated as (
    {{ personagraph.first_exact_copies('typed_rows') }}
),

final as (
    {{ personagraph.quarantine_later_copies('validated', ['order_id']) }}
)

select * from final
