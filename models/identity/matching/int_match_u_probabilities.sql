-- One row per comparison and level: its u-probability, the share of random pairs
-- (int_match_random_pair_comparisons) at that level among pairs where both values are
-- present, with add-one smoothing so that a level never seen among random pairs still
-- has a small, finite u.

with

random_pairs as (
    select * from {{ ref('int_match_random_pair_comparisons') }}
),

levels as (
    {{ personagraph.comparison_level_rows() }}
),

observed as (
    {{ personagraph.comparison_level_counts('random_pairs') }}
),

counted as (
    select
        levels.comparison,
        levels.comparison_level,
        coalesce(observed.pair_count, 0) as pair_count
    from levels
    left join observed
        on
            levels.comparison = observed.comparison
            and levels.comparison_level = observed.comparison_level
),

final as (
    select
        comparison,
        comparison_level,
        pair_count as random_pair_count,
        cast(pair_count + 1 as double)
        / cast(sum(pair_count) over (partition by comparison) + count(*) over (partition by comparison) as double)
            as u_probability
    from counted
)

select * from final
