-- One row per first blocking rule, set of rules that found the pairs and distinct
-- combination of comparison levels among the candidate pairs whose
-- records the deterministic graph has not already joined, with its number of pairs: the
-- small table that expectation maximisation iterates over. Pairs inside one
-- deterministic component are not compared at all (int_match_pair_comparisons): they
-- are joined already, and they agree on an email or phone by construction, so they
-- would teach the model that matches always share one, while the pairs it has to judge
-- are exactly those that do not.

with

pair_comparisons as (
    select * from {{ ref('int_match_pair_comparisons') }}
),

final as (
    select
        blocking_rule,
        {{ personagraph.found_by_rule_columns() }},
        {{ personagraph.comparison_level_columns() }},
        count(*) as pair_count
    from pair_comparisons
    group by
        blocking_rule,
        {{ personagraph.found_by_rule_columns() }},
        {{ personagraph.comparison_level_columns() }}
)

select * from final
