-- One row per email event (a child of an ESP contact).

with

typed_rows as (
    select * from {{ ref('base_esp__events_typed') }}
),

decisions as (
    select * from {{ ref('base_esp__events') }}
),

final as (
    select
        typed_rows.esp_event_key,
        typed_rows.esp_record_id,
        typed_rows.event_at,
        typed_rows.event_type,
        typed_rows.campaign_id,
        typed_rows.source_row_number,
        typed_rows.unusable_columns
    from typed_rows
    inner join decisions
        on typed_rows.source_row_number = decisions.source_row_number
    where decisions.quarantine_rule is null
)

select * from final
