-- One row per distinct raw row of crm_contacts (exact copies collapsed and counted): the
-- quarantine decision for it, the first rule it breaks (null when the row is used), and its
-- version rank. stg_crm__contacts joins the typed values back (macros/utils/key_decisions.sql).
{{ config(materialized='table') }}

{{ personagraph.record_version_decisions('base_crm__contacts_typed', ['contact_id'], 'updated_at') }}
