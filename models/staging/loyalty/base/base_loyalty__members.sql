-- One row per distinct raw row of loyalty_members (exact copies collapsed and counted): the
-- quarantine decision for it (the first rule it breaks, null when the row is used). Decided
-- over the narrow key columns of the typed rows; stg_loyalty__members joins the typed values back.
{{ config(materialized='table') }}

with

typed_rows as (
    select
        source_row_number,
        raw_row_hash,
        loyalty_id,
        broken_rule
    from {{ ref('base_loyalty__members_typed') }}
),

validated as (
    {{ personagraph.first_exact_copies('typed_rows') }}
),

decided as (
    {{ personagraph.quarantine_later_copies('validated', ['loyalty_id']) }}
),

final as (
    select
        source_row_number,
        copy_count,
        quarantine_rule
    from decided
)

select * from final
