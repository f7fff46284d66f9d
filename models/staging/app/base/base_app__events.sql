-- One row per distinct raw row of app_events (exact copies collapsed and counted), typed
-- and normalised, with the first quarantine rule it breaks (null when the row is used).
{{ config(materialized='table') }}

with

typed_rows as (
    select * from {{ ref('base_app__events_typed') }}
),

validated as (
    {{ personagraph.first_exact_copies('typed_rows') }}
),

final as (
    {{ personagraph.quarantine_later_copies('validated', ['event_id']) }}
)

select * from final
