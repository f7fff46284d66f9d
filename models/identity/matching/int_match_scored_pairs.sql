-- One row per compared candidate pair (int_match_pair_comparisons: none inside one
-- deterministic component): each comparison's level and weight (log2 of m / u, with
-- the term-frequency adjustment log2(u / frequency of the agreeing value) at the
-- adjusted level), the total match weight (prior odds plus the comparison weights) and
-- the match probability. Missing values (level -1) weigh nothing. A view: its only
-- reader, int_match_candidate_group_pairs, groups the pairs as they are scored, which
-- at 1,000,000 people saves writing and reading back 45 million rows.
{{ config(materialized='view') }}

with

pair_comparisons as (
    select * from {{ ref('int_match_pair_comparisons') }}
),

parameters as (
    select * from {{ ref('int_match_parameters') }}
),

final as (
    {{ personagraph.scored_pairs('pair_comparisons', 'parameters') }}
)

select * from final
