-- One row per data subject request.

with

base as (
    {{ personagraph.used_typed_rows('base_privacy__requests') }}
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
)

select * from final
