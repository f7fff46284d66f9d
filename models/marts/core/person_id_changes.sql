-- Append-only log across builds: one row each time a known identifier appears, moves
-- to another person (a merge or a split changed its cluster) or disappears. Identifiers
-- are logged as md5('<type>:<value>') so the log holds no raw emails or phones and
-- needs no rewriting for erasure. Exempt from "incremental equals full rebuild": it is
-- history. `dbt build --full-refresh` starts it again.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
) }}

with

clusters as (
    select * from {{ ref('int_identity_clusters') }}
),

current_assignments as (
    select
        identifier_type,
        md5({{ personagraph.identifier_key('identifier_type', 'identifier_value') }}) as identifier_hash,
        person_id,
        cast(0 as bigint) as build_sequence
    from clusters
),

logged as (
    -- The log so far; on the first build (or --full-refresh) an empty set of rows.
    select
        identifier_type,
        identifier_hash,
        person_id,
        build_sequence,
        row_number() over (
            partition by identifier_hash
            order by build_sequence desc
        ) as recency_rank
    from {{ this if is_incremental() else 'current_assignments' }}
    where {{ 'true' if is_incremental() else 'false' }}
),

previous_assignments as (
    select
        identifier_type,
        identifier_hash,
        person_id
    from logged
    where recency_rank = 1 and person_id is not null
),

previous_build as (
    select coalesce(max(build_sequence), 0) as build_sequence from logged
),

changes as (
    select
        coalesce(current_assignments.identifier_type, previous_assignments.identifier_type) as identifier_type,
        coalesce(current_assignments.identifier_hash, previous_assignments.identifier_hash) as identifier_hash,
        previous_assignments.person_id as previous_person_id,
        current_assignments.person_id,
        case
            when previous_assignments.person_id is null then 'appeared'
            when current_assignments.person_id is null then 'removed'
            else 'moved'
        end as change_kind
    from current_assignments
    full outer join previous_assignments
        on current_assignments.identifier_hash = previous_assignments.identifier_hash
    where
        previous_assignments.person_id is null
        or current_assignments.person_id is null
        or previous_assignments.person_id != current_assignments.person_id
),

current_persons as (
    select distinct person_id from current_assignments
),

previous_persons as (
    select distinct person_id from previous_assignments
),

final as (
    select
        cast(previous_build.build_sequence + 1 as bigint) as build_sequence,
        cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as build_id,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as built_at,
        changes.identifier_type,
        changes.identifier_hash,
        changes.previous_person_id,
        changes.person_id,
        changes.change_kind,
        still_current.person_id is not null as previous_person_still_exists,
        existed_before.person_id is not null as person_existed_before
    from changes
    cross join previous_build
    left join current_persons as still_current
        on changes.previous_person_id = still_current.person_id
    left join previous_persons as existed_before
        on changes.person_id = existed_before.person_id
)

select * from final
