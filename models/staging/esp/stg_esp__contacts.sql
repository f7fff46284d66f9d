-- One row per ESP contact record.

with

typed_rows as (
    select * from {{ ref('base_esp__contacts_typed') }}
),

decisions as (
    select * from {{ ref('base_esp__contacts') }}
),

final as (
    select
        typed_rows.esp_record_id,
        typed_rows.email,
        typed_rows.is_subscribed,
        typed_rows.subscribed_at,
        typed_rows.unsubscribed_at,
        typed_rows.source_row_number,
        typed_rows.unusable_columns
    from typed_rows
    inner join decisions
        on typed_rows.source_row_number = decisions.source_row_number
    where decisions.quarantine_rule is null
)

select * from final
