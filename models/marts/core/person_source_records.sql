-- One row per usable raw record of every table that carries a record id: the person it
-- belongs to and the rule and identifier that placed it there. A record that links to
-- no one else is a person of its own.

with

record_persons as (
    select * from {{ ref('int_identity_record_persons') }}
),

final as (
    select
        person_id,
        source_table,
        source_record_id,
        assignment_rule,
        linked_identifier_type,
        first_recorded_at,
        last_recorded_at
    from record_persons
)

select * from final
