-- One row per data subject request.

with

typed_rows as (
    select * from {{ ref('base_privacy__requests_typed') }}
),

decisions as (
    select * from {{ ref('base_privacy__requests') }}
),

final as (
    select
        typed_rows.request_id,
        typed_rows.subject_type,
        typed_rows.subject_value,
        typed_rows.request_type,
        typed_rows.requested_at,
        typed_rows.source_row_number,
        typed_rows.unusable_columns
    from typed_rows
    inner join decisions
        on typed_rows.source_row_number = decisions.source_row_number
    where decisions.quarantine_rule is null
)

select * from final
