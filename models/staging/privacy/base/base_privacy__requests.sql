-- One row per distinct raw row of privacy_requests (exact copies collapsed and counted): the
-- quarantine decision for it, the first rule it breaks (null when the row is used).
-- stg_privacy__requests joins the typed values back (macros/utils/key_decisions.sql).
{{ config(materialized='table') }}

{{ personagraph.unique_record_decisions('base_privacy__requests_typed', ['request_id']) }}
