-- One row per probabilistic edge of the identity graph (src_id < dst_id): for every
-- accepted group link whose groups merged (int_match_merged_groups), an edge between
-- the anchor nodes of its best record pair. It carries the group pair's match weight
-- and probability and the best level and weight of every comparison, so an
-- explanation shows why the two records' groups were judged one person.

with

group_links as (
    select * from {{ ref('int_match_group_links') }}
    where is_accepted
),

merged_groups as (
    select * from {{ ref('int_match_merged_groups') }}
),

person_records as (
    select * from {{ ref('int_match_person_records') }}
),

record_identifiers as (
    select * from {{ ref('int_identity_record_identifiers') }}
),

records as (
    select * from {{ ref('int_identity_records') }}
),

merged_links as (
    select group_links.*
    from group_links
    inner join merged_groups as src_merged
        on group_links.src_id = src_merged.group_id
    inner join merged_groups as dst_merged
        on group_links.dst_id = dst_merged.group_id
    where
        src_merged.merged_group_id = dst_merged.merged_group_id
        and (
            {{ personagraph.clustering_mode() }} = 'connected'
            or group_links.src_id = src_merged.merged_group_id
            or group_links.dst_id = dst_merged.merged_group_id
        )
),

-- The records of the links' best record pairs: a few thousand of the millions of person
-- records, picked before their anchors are ranked.
linked_records as (
    select
        record_key,
        source_table,
        source_record_id
    from person_records
    where
        record_key in (select merged_links.best_left_key from merged_links)
        or record_key in (select merged_links.best_right_key from merged_links)
),

record_anchors as (
    select
        source_table,
        source_record_id,
        node_id
    from (
        select
            record_identifiers.source_table,
            record_identifiers.source_record_id,
            record_identifiers.node_id,
            row_number() over (
                partition by record_identifiers.source_table, record_identifiers.source_record_id
                order by
                    record_identifiers.type_priority,
                    record_identifiers.identifier_value,
                    record_identifiers.node_id
            ) as anchor_rank
        from record_identifiers
        inner join linked_records
            on
                record_identifiers.source_table = linked_records.source_table
                and record_identifiers.source_record_id = linked_records.source_record_id
    ) as ranked
    where anchor_rank = 1
),

record_nodes as (
    select
        linked_records.record_key,
        linked_records.source_table || ':' || linked_records.source_record_id as record_name,
        coalesce(
            record_anchors.node_id,
            {{ personagraph.hash_to_bigint(
                "'record:' || linked_records.source_table || ':' || linked_records.source_record_id"
            ) }}
        ) as anchor_node_id,
        records.first_recorded_at,
        records.last_recorded_at
    from linked_records
    inner join records
        on
            linked_records.source_table = records.source_table
            and linked_records.source_record_id = records.source_record_id
    left join record_anchors
        on
            linked_records.source_table = record_anchors.source_table
            and linked_records.source_record_id = record_anchors.source_record_id
),

final as (
    select
        least(left_records.anchor_node_id, right_records.anchor_node_id) as src_id,
        greatest(left_records.anchor_node_id, right_records.anchor_node_id) as dst_id,
        'probabilistic' as edge_strength,
        'probabilistic_match' as edge_rule,
        left_records.record_name || ' ~ ' || right_records.record_name as evidence_record,
        merged_links.record_pair_count as evidence_record_count,
        least(left_records.first_recorded_at, right_records.first_recorded_at) as first_seen_at,
        greatest(left_records.last_recorded_at, right_records.last_recorded_at) as last_seen_at,
        merged_links.match_weight,
        merged_links.match_probability,
        {{ personagraph.comparison_evidence_columns('merged_links') }}
        merged_links.prior_weight,
        -- The weight breakdown in words, e.g. "name: exact +10.2; date_of_birth: exact
        -- +10.5; prior -9.5 = 11.2 bits", and how a link without a person-telling
        -- agreement was accepted.
        {{ personagraph.match_evidence_text('merged_links') }}
        || case
            when merged_links.acceptance_rule = 'sole_named_partner'
                then '; accepted: the only named person these records reach'
            else ''
        end as match_evidence
    from merged_links
    inner join record_nodes as left_records
        on merged_links.best_left_key = left_records.record_key
    inner join record_nodes as right_records
        on merged_links.best_right_key = right_records.record_key
)

select * from final
