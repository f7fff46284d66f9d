-- One row per distinct raw row of esp_contacts (exact copies collapsed and counted): the
-- quarantine decision for it, the first rule it breaks (null when the row is used).
-- stg_esp__contacts joins the typed values back (macros/utils/key_decisions.sql).
{{ config(materialized='table') }}

{{ personagraph.unique_record_decisions('base_esp__contacts_typed', ['esp_record_id']) }}
