-- One row per consent event (a child of the subject it names).

with

typed_rows as (
    select * from {{ ref('base_privacy__consent_events_typed') }}
),

decisions as (
    select * from {{ ref('base_privacy__consent_events') }}
),

final as (
    select
        typed_rows.consent_event_key,
        typed_rows.subject_type,
        typed_rows.subject_value,
        typed_rows.purpose,
        typed_rows.status,
        typed_rows.recorded_at,
        typed_rows.consent_source,
        typed_rows.source_row_number,
        typed_rows.unusable_columns
    from typed_rows
    inner join decisions
        on typed_rows.source_row_number = decisions.source_row_number
    where decisions.quarantine_rule is null
)

select * from final
