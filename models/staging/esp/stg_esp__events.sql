-- One row per email event (a child of an ESP contact).

with

base as (
    select * from {{ ref('base_esp__events') }}
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
    where quarantine_rule is null
)

select * from final
