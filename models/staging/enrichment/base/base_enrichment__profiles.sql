-- One row per distinct raw row of enrichment_profiles (exact copies collapsed and counted): the
-- quarantine decision for it, the first rule it breaks (null when the row is used).
-- stg_enrichment__profiles joins the typed values back (macros/utils/key_decisions.sql).
{{ config(materialized='table') }}

{{ personagraph.unique_record_decisions('base_enrichment__profiles_typed', ['enrichment_profile_key']) }}
