-- One row per distinct raw row of order_lines (exact copies collapsed and counted), typed
-- and normalised, with the first quarantine rule it breaks (null when the row is used).
{{ config(materialized='table') }}

with

typed_rows as (
    select * from {{ ref('base_shop__order_lines_typed') }}
),

validated as (
    {{ personagraph.first_exact_copies('typed_rows') }}
),

final as (
    {{ personagraph.quarantine_later_copies('validated', ['order_id', 'line_number']) }}
)

select * from final
