-- One row per distinct raw row of shop_customers (exact copies collapsed and counted): the
-- quarantine decision for it (the first rule it breaks, null when the row is used) and its
-- version rank. Decided over the narrow key columns of the typed rows; stg_shop__customers
-- joins the typed values back.
{{ config(materialized='table') }}

with

typed_rows as (
    select
        source_row_number,
        raw_row_hash,
        customer_id,
        updated_at,
        broken_rule
    from {{ ref('base_shop__customers_typed') }}
),

validated as (
    {{ personagraph.first_exact_copies('typed_rows') }}
),

versioned as (
    {{ personagraph.rank_record_versions('validated', ['customer_id'], 'updated_at') }}
),

final as (
    select
        source_row_number,
        copy_count,
        version_rank,
        quarantine_rule is null and version_rank = 1 as is_current_version,
        quarantine_rule
    from versioned
)

select * from final
