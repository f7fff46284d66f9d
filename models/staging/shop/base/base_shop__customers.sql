-- One row per distinct raw row of shop_customers (exact copies collapsed and counted), typed
-- and normalised, with the first quarantine rule it breaks (null when the row is used).
{{ config(materialized='table') }}

with

typed_rows as (
    select * from {{ ref('base_shop__customers_typed') }}
),

validated as (
    {{ personagraph.first_exact_copies('typed_rows') }}
),

versioned as (
    {{ personagraph.rank_record_versions('validated', ['customer_id'], 'updated_at') }}
),

final as (
    select
        *,
        quarantine_rule is null and version_rank = 1 as is_current_version
    from versioned
)

select * from final
