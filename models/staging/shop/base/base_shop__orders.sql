-- One row per distinct raw row of shop_orders (exact copies collapsed and counted): the
-- quarantine decision for it, the first rule it breaks (null when the row is used).
-- stg_shop__orders joins the typed values back (macros/utils/key_decisions.sql).
{{ config(materialized='table') }}

{{ personagraph.unique_record_decisions('base_shop__orders_typed', ['order_id']) }}
