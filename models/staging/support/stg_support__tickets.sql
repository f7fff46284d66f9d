-- One row per support ticket.

with

typed_rows as (
    select * from {{ ref('base_support__tickets_typed') }}
),

decisions as (
    select * from {{ ref('base_support__tickets') }}
),

final as (
    select
        typed_rows.ticket_id,
        typed_rows.created_at,
        typed_rows.channel,
        typed_rows.email,
        typed_rows.phone,
        typed_rows.customer_name,
        typed_rows.customer_name_normalized,
        typed_rows.topic,
        typed_rows.satisfaction_score,
        typed_rows.source_row_number,
        typed_rows.unusable_columns
    from typed_rows
    inner join decisions
        on typed_rows.source_row_number = decisions.source_row_number
    where decisions.quarantine_rule is null
)

select * from final
