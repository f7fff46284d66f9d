-- One row per distinct raw row of order_lines (exact copies collapsed and counted): the
-- quarantine decision for it (the first rule it breaks, null when the row is used). Decided
-- over the narrow key columns of the typed rows; stg_shop__order_lines joins the typed values back.
{{ config(materialized='table') }}

with

typed_rows as (
    select
        source_row_number,
        raw_row_hash,
        order_id,
        line_number,
        broken_rule
    from {{ ref('base_shop__order_lines_typed') }}
),

validated as (
    {{ personagraph.first_exact_copies('typed_rows') }}
),

decided as (
    {{ personagraph.quarantine_later_copies('validated', ['order_id', 'line_number']) }}
),

final as (
    select
        source_row_number,
        copy_count,
        quarantine_rule
    from decided
)

select * from final
