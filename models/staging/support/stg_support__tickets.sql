-- One row per support ticket.

with

base as (
    {{ personagraph.used_typed_rows('base_support__tickets') }}
),

final as (
    select
        ticket_id,
        created_at,
        channel,
        email,
        phone,
        customer_name,
        customer_name_normalized,
        topic,
        satisfaction_score,
        source_row_number,
        unusable_columns
    from base
)

select * from final
