-- One row per identifier of a person: the parent identifier through which it was
-- linked, the rule, strength and one evidence record, and its depth below the
-- person's anchor; for a probabilistic link, its match probability and the weight of
-- every comparison. Following parent links to depth 0 explains any merge; the macro
-- explain_identifier_path and `personagraph explain` do that walk on demand.

with

tree as (
    select * from {{ ref('int_identity_spanning_tree') }}
),

devices as (
    select * from {{ ref('int_identity_device_assignments') }}
),

known as (
    select
        person_id,
        identifier_type,
        identifier_value,
        depth,
        parent_identifier_type,
        parent_identifier_value,
        edge_rule,
        edge_strength,
        evidence_record,
        evidence_record_count,
        match_probability,
        match_evidence
    from tree
),

linked_devices as (
    select
        devices.person_id,
        devices.identifier_type,
        devices.identifier_value,
        coalesce(parents.depth + 1, 0) as depth,  -- noqa: RF04
        parents.identifier_type as parent_identifier_type,
        parents.identifier_value as parent_identifier_value,
        coalesce(devices.link_rule, devices.assignment) as edge_rule,
        coalesce(devices.link_strength, 'none') as edge_strength,
        devices.evidence_record,
        devices.record_count as evidence_record_count,
        cast(null as double) as match_probability,
        cast(null as {{ dbt.type_string() }}) as match_evidence
    from devices
    left join tree as parents
        on devices.linked_identifier = parents.identifier_type || ':' || parents.identifier_value
),

final as (
    select * from known
    union all
    select * from linked_devices
)

select * from final
