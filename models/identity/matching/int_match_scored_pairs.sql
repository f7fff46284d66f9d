-- One row per candidate pair: each comparison's level and weight (log2 of m / u, with
-- the term-frequency adjustment log2(u / frequency of the agreeing value) at the
-- adjusted level), the total match weight (prior odds plus the comparison weights) and
-- the match probability. Missing values (level -1) weigh nothing.

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
