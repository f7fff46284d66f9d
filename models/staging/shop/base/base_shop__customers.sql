-- One row per distinct raw row of shop_customers (exact copies collapsed and counted): the
-- quarantine decision for it, the first rule it breaks (null when the row is used), and its
-- version rank. stg_shop__customers joins the typed values back (macros/utils/key_decisions.sql).
{{ config(materialized='table') }}

{{ personagraph.record_version_decisions('base_shop__customers_typed', ['customer_id'], 'updated_at') }}
