-- One row per distinct raw row of consent_events (exact copies collapsed and counted), typed
-- and normalised, with the first quarantine rule it breaks (null when the row is used).
{{ config(materialized='table') }}

with

typed_rows as (
    select * from {{ ref('base_privacy__consent_events_typed') }}
),

validated as (
    {{ personagraph.first_exact_copies('typed_rows') }}
),

final as (
    {{ personagraph.quarantine_later_copies('validated', ['consent_event_key']) }}
)

select * from final
