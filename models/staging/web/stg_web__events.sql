-- One row per web event.

with

typed_rows as (
    select * from {{ ref('base_web__events_typed') }}
),

decisions as (
    select * from {{ ref('base_web__events') }}
),

final as (
    select
        typed_rows.event_id,
        typed_rows.event_at,
        typed_rows.anonymous_id,
        typed_rows.user_id,
        typed_rows.email,
        typed_rows.esp_record_id,
        typed_rows.event_type,
        typed_rows.page_url,
        typed_rows.product_id,
        typed_rows.device_type,
        typed_rows.ip_address,
        typed_rows.user_agent,
        typed_rows.source_row_number,
        typed_rows.unusable_columns
    from typed_rows
    inner join decisions
        on typed_rows.source_row_number = decisions.source_row_number
    where decisions.quarantine_rule is null
)

select * from final
