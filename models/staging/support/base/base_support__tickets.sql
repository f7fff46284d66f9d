-- One row per distinct raw row of support_tickets (exact copies collapsed and counted): the
-- quarantine decision for it, the first rule it breaks (null when the row is used).
-- stg_support__tickets joins the typed values back (macros/utils/key_decisions.sql).
{{ config(materialized='table') }}

{{ personagraph.unique_record_decisions('base_support__tickets_typed', ['ticket_id']) }}
