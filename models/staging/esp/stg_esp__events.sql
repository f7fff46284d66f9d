-- One row per email event (a child of an ESP contact).

with

base as (
    {{ personagraph.used_typed_rows('base_esp__events') }}
),

final as (
    select
        esp_event_key,
        esp_record_id,
        event_at,
        event_type,
        campaign_id,
        source_row_number,
        unusable_columns
    from base
)

select * from final
