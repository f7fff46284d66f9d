-- One row per data subject request.

with

base as (
    select * from {{ ref('base_privacy__requests') }}
),

final as (
    select
        request_id,
        subject_type,
        subject_value,
        request_type,
        requested_at,
        source_row_number,
        unusable_columns
    from base
    where quarantine_rule is null
)

select * from final
