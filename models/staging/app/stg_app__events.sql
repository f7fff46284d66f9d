-- One row per app event.

with

base as (
    select * from {{ ref('base_app__events') }}
),

final as (
    select
        event_id,
        event_at,
        device_id,
        user_id,
        event_type,
        product_id,
        platform,
        app_version,
        source_row_number,
        unusable_columns
    from base
    where quarantine_rule is null
)

select * from final
