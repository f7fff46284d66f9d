-- One row per consent event (a child of the subject it names).

with

base as (
    {{ personagraph.used_typed_rows('base_privacy__consent_events') }}
),

final as (
    select
        consent_event_key,
        subject_type,
        subject_value,
        purpose,
        status,
        recorded_at,
        consent_source,
        source_row_number,
        unusable_columns
    from base
)

select * from final
