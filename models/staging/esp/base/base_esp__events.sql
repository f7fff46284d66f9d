-- One row per distinct raw row of esp_events (exact copies collapsed and counted), typed
-- and normalised, with the first quarantine rule it breaks (null when the row is used).
{{ config(materialized='table') }}

with

typed_rows as (
    select * from {{ ref('base_esp__events_typed') }}
),

validated as (
    {{ personagraph.first_exact_copies('typed_rows') }}
),

final as (
    {{ personagraph.quarantine_later_copies('validated', ['esp_event_key']) }}
)

select * from final
