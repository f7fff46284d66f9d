-- One row per web event.

with

base as (
    {{ personagraph.used_typed_rows('base_web__events') }}
),

final as (
    select
        event_id,
        event_at,
        anonymous_id,
        user_id,
        email,
        esp_record_id,
        event_type,
        page_url,
        product_id,
        device_type,
        ip_address,
        user_agent,
        source_row_number,
        unusable_columns
    from base
)

select * from final
