-- One row per person record with no accepted identifier of its own that probabilistic
-- matching merged with others (a ticket signed "M. Kelly" with no usable email or
-- phone): it becomes a node of the identity graph, of type 'record', keyed by the hash
-- of 'record:<table>:<id>'. Records that stay alone are persons of their own and need
-- no node.

with

merged_groups as (
    select * from {{ ref('int_match_merged_groups') }}
),

person_records as (
    select * from {{ ref('int_match_person_records') }}
),

records as (
    select * from {{ ref('int_identity_records') }}
),

merge_sizes as (
    select
        merged_group_id,
        count(*) as merged_groups
    from merged_groups
    group by merged_group_id
),

lone_records as (
    select
        {{ personagraph.record_node_id() }} as node_id,
        source_table,
        source_record_id
    from person_records
    where component_id is null
),

final as (
    select
        lone_records.node_id,
        'record' as identifier_type,
        lone_records.source_table || ':' || lone_records.source_record_id as identifier_value,
        {{ personagraph.identifier_type_priority("'record'") }} as type_priority,
        records.first_recorded_at as first_seen_at,
        records.last_recorded_at as last_seen_at,
        lone_records.source_table,
        lone_records.source_record_id
    from lone_records
    inner join merged_groups
        on lone_records.node_id = merged_groups.group_id
    inner join merge_sizes
        on merged_groups.merged_group_id = merge_sizes.merged_group_id
    inner join records
        on
            lone_records.source_table = records.source_table
            and lone_records.source_record_id = records.source_record_id
    where merge_sizes.merged_groups > 1
)

select * from final
