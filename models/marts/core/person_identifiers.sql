-- One row per identifier attached to a person: known identifiers from stitching (with
-- the edge that reached them from the person's anchor) and devices attached by a tie
-- or kept as profiles of their own.

with

tree as (
    select * from {{ ref('int_identity_spanning_tree') }}
),

clusters as (
    select * from {{ ref('int_identity_clusters') }}
),

devices as (
    select * from {{ ref('int_identity_device_assignments') }}
),

known_identifiers as (
    select
        clusters.person_id,
        clusters.identifier_type,
        clusters.identifier_value,
        clusters.first_seen_at,
        clusters.last_seen_at,
        case when clusters.is_anchor then 'anchor' else tree.edge_rule end as link_rule,
        case when clusters.is_anchor then 'anchor' else tree.edge_strength end as link_strength,
        clusters.is_anchor
    from clusters
    inner join tree
        on clusters.node_id = tree.node_id
    -- Record nodes (records merged by probabilistic matching) are records, not
    -- identifiers: person_source_records lists them.
    where clusters.identifier_type != 'record'
),

device_identifiers as (
    select
        person_id,
        identifier_type,
        identifier_value,
        first_seen_at,
        last_seen_at,
        coalesce(link_rule, assignment) as link_rule,
        coalesce(link_strength, 'none') as link_strength,
        assignment != 'attached_by_strong_tie' and assignment != 'attached_by_weak_tie' as is_anchor
    from devices
),

final as (
    select * from known_identifiers
    union all
    select * from device_identifiers
)

select * from final
