-- One row per candidate pair with its comparison levels (macros/matching/comparisons.sql)
-- and whether the two records already share a deterministic component.

with

candidate_pairs as (
    select * from {{ ref('int_match_candidate_pairs') }}
),

person_records as (
    select * from {{ ref('int_match_person_records') }}
),

nicknames as (
    select * from {{ ref('name_nicknames') }}
),

final as (
    select
        candidate_pairs.left_key,
        candidate_pairs.right_key,
        candidate_pairs.blocking_rule,
        {{ personagraph.found_by_rule_columns() }},
        coalesce(left_records.component_id = right_records.component_id, false) as is_same_component,
        {{ personagraph.compare_person_records(
            'left_records', 'right_records', 'nicknames_left_right', 'nicknames_right_left'
        ) | indent(8) }}
    from candidate_pairs
    inner join person_records as left_records
        on candidate_pairs.left_key = left_records.record_key
    inner join person_records as right_records
        on candidate_pairs.right_key = right_records.record_key
    {{ personagraph.nickname_joins('left_records', 'right_records') }}
)

select * from final
