-- One row per build and pair of (previous person id, new person id) that identifiers
-- moved between: a merge when several previous persons flow into one new person, a
-- split when one previous person flows into several, a rename otherwise (the
-- cluster's anchor changed). A merge where one side keeps its id moves only the
-- other side's identifiers: the new id existing before marks it as a merge.
-- Read from the append-only person_id_changes log.

with

changes as (
    select * from {{ ref('person_id_changes') }}
),

moves as (
    select
        build_sequence,
        built_at,
        previous_person_id,
        person_id,
        count(*) as identifiers_moved,
        bool_or(person_existed_before) as person_existed_before,
        bool_or(previous_person_still_exists) as previous_person_still_exists
    from changes
    where change_kind = 'moved'
    group by build_sequence, built_at, previous_person_id, person_id
),

fan as (
    select
        *,
        count(*) over (partition by build_sequence, person_id) as previous_persons_into_new,
        count(*) over (partition by build_sequence, previous_person_id) as new_persons_from_previous
    from moves
),

final as (
    select
        build_sequence,
        built_at,
        previous_person_id,
        person_id,
        identifiers_moved,
        case
            when previous_persons_into_new > 1 or person_existed_before then 'merge'
            when new_persons_from_previous > 1 or previous_person_still_exists then 'split'
            else 'rename'
        end as change_kind
    from fan
)

select * from final
