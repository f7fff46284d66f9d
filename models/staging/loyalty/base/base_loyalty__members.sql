-- One row per distinct raw row of loyalty_members (exact copies collapsed and counted): the
-- quarantine decision for it, the first rule it breaks (null when the row is used).
-- stg_loyalty__members joins the typed values back (macros/utils/key_decisions.sql).
{{ config(materialized='table') }}

{{ personagraph.unique_record_decisions('base_loyalty__members_typed', ['loyalty_id']) }}
