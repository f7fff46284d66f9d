-- One row per record pair that completes the comparison of two groups whose candidate
-- pairs compare no names. A group (a deterministic component, or a lone person record)
-- may hold its name on one record and its address on another: a named shop customer
-- and the unnamed orders stitched to it. Blocking finds the order and a CRM contact at
-- the same address, but that pair has no name to compare, so the customer's name
-- would never meet the contact's. For every pair of groups that blocking brought
-- together through record pairs none of which compares names, each pair of their
-- named records is compared and scored here exactly as int_match_scored_pairs scores
-- candidate pairs (blocking_rule 'group_completion', no found_by flag), so the names
-- count in the group's evidence, for or against.

with

candidate_group_pairs as (
    select * from {{ ref('int_match_candidate_group_pairs') }}
),

person_records as (
    select * from {{ ref('int_match_person_records') }}
),

parameters as (
    select * from {{ ref('int_match_parameters') }}
),

nicknames as (
    select * from {{ ref('name_nicknames') }}
),

record_groups as (
    select
        record_key,
        last_name,
        {{ personagraph.match_group_id() }} as group_id
    from person_records
),

named_records as (
    select
        record_key,
        group_id
    from record_groups
    where last_name is not null
),

completion_pairs as (
    select distinct
        least(src_records.record_key, dst_records.record_key) as left_key,
        greatest(src_records.record_key, dst_records.record_key) as right_key
    from candidate_group_pairs
    inner join named_records as src_records
        on candidate_group_pairs.src_id = src_records.group_id
    inner join named_records as dst_records
        on candidate_group_pairs.dst_id = dst_records.group_id
    where candidate_group_pairs.name_level = -1
),

compared as (
    select
        completion_pairs.left_key,
        completion_pairs.right_key,
        'group_completion' as blocking_rule,
        {{ personagraph.no_rule_flags() }}
        {{ personagraph.compare_person_records(
            'left_records', 'right_records', 'nicknames_left_right', 'nicknames_right_left'
        ) | indent(8) }}
    from completion_pairs
    inner join person_records as left_records
        on completion_pairs.left_key = left_records.record_key
    inner join person_records as right_records
        on completion_pairs.right_key = right_records.record_key
    {{ personagraph.nickname_joins('left_records', 'right_records') }}
),

final as (
    {{ personagraph.scored_pairs('compared', 'parameters') }}
)

select * from final
