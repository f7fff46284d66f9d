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

weighted as (
    {{ personagraph.weighted_comparisons('pair_comparisons', 'parameters') }}
),

summed as (
    select
        *,
        {{ personagraph.total_match_weight() }} as match_weight
    from weighted
),

final as (
    select
        *,
        {{ personagraph.weight_probability('match_weight') }} as match_probability
    from summed
)

select * from final
