-- One row per distinct raw row of esp_contacts (exact copies collapsed and counted): the
-- quarantine decision for it (the first rule it breaks, null when the row is used). Decided
-- over the narrow key columns of the typed rows; stg_esp__contacts joins the typed values back.
{{ config(materialized='table') }}

with

typed_rows as (
    select
        source_row_number,
        raw_row_hash,
        esp_record_id,
        broken_rule
    from {{ ref('base_esp__contacts_typed') }}
),

validated as (
    {{ personagraph.first_exact_copies('typed_rows') }}
),

decided as (
    {{ personagraph.quarantine_later_copies('validated', ['esp_record_id']) }}
),

final as (
    select
        source_row_number,
        copy_count,
        quarantine_rule
    from decided
)

select * from final
