-- One row per candidate pair of records that the deterministic graph has not already
-- joined, with its comparison levels (macros/matching/comparisons.sql). Pairs inside one
-- deterministic component are left out here, before the comparisons are computed: they
-- can neither link two groups nor teach expectation maximisation anything (see
-- int_match_comparison_patterns), and at 1,000,000 people they are one candidate pair
-- in seven. Records without a component (component_id null) are compared with every
-- candidate.

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
        {{ personagraph.compare_person_records(
            'left_records', 'right_records', 'nicknames_left_right', 'nicknames_right_left'
        ) | indent(8) }}
    from candidate_pairs
    inner join person_records as left_records
        on candidate_pairs.left_key = left_records.record_key
    inner join person_records as right_records
        on candidate_pairs.right_key = right_records.record_key
    {{ personagraph.nickname_joins('left_records', 'right_records') }}
    where
        left_records.component_id is null
        or right_records.component_id is null
        or left_records.component_id != right_records.component_id
)

select * from final
