-- One row per app event.

with

base as (
    {{ personagraph.used_typed_rows('base_app__events') }}
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
)

select * from final
