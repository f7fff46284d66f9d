-- One row per node of the identity graph (accepted known identifiers and the record
-- nodes of int_identity_record_nodes) with its final component: the deterministic
-- component, or the group it merged into by probabilistic matching.

with

components as (
    select * from {{ ref('int_identity_components') }}
),

record_nodes as (
    select * from {{ ref('int_identity_record_nodes') }}
),

merged_groups as (
    select * from {{ ref('int_match_merged_groups') }}
),

final as (
    select
        components.node_id,
        coalesce(merged_groups.merged_group_id, components.component_id) as component_id,
        components.component_id as deterministic_component_id,
        components.iteration
    from components
    left join merged_groups
        on components.component_id = merged_groups.group_id

    union all

    select
        record_nodes.node_id,
        merged_groups.merged_group_id as component_id,
        record_nodes.node_id as deterministic_component_id,
        0 as iteration
    from record_nodes
    inner join merged_groups
        on record_nodes.node_id = merged_groups.group_id
)

select * from final
