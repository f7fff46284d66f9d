-- One row per ESP contact record.

with

base as (
    {{ personagraph.used_typed_rows('base_esp__contacts') }}
),

final as (
    select
        esp_record_id,
        email,
        is_subscribed,
        subscribed_at,
        unsubscribed_at,
        source_row_number,
        unusable_columns
    from base
)

select * from final
