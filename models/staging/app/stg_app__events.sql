-- One row per app event.

with

typed_rows as (
    select * from {{ ref('base_app__events_typed') }}
),

decisions as (
    select * from {{ ref('base_app__events') }}
),

final as (
    select
        typed_rows.event_id,
        typed_rows.event_at,
        typed_rows.device_id,
        typed_rows.user_id,
        typed_rows.event_type,
        typed_rows.product_id,
        typed_rows.platform,
        typed_rows.app_version,
        typed_rows.source_row_number,
        typed_rows.unusable_columns
    from typed_rows
    inner join decisions
        on typed_rows.source_row_number = decisions.source_row_number
    where decisions.quarantine_rule is null
)

select * from final
