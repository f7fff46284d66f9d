-- One row per comparison and level: its u-probability, the share of random pairs
-- (int_match_random_pair_comparisons) at that level among pairs where both values are
-- present, with add-one smoothing so that a level never seen among random pairs still
-- has a small, finite u.

{%- set comparisons = personagraph.match_comparisons() %}

with

random_pairs as (
    select * from {{ ref('int_match_random_pair_comparisons') }}
),

levels as (
    {% for comparison in comparisons -%}
    {% set outer = loop %}
    {%- for level in comparison.levels | sort -%}
    select '{{ comparison.name }}' as comparison, {{ level }} as comparison_level
    {%- if not (outer.last and loop.last) %}
    union all
    {% endif %}
    {%- endfor %}
    {%- endfor %}
),

observed as (
    {% for comparison in comparisons -%}
    select
        '{{ comparison.name }}' as comparison,
        {{ comparison.name }}_level as comparison_level,
        count(*) as pair_count
    from random_pairs
    where {{ comparison.name }}_level >= 0
    group by {{ comparison.name }}_level
    {% if not loop.last %}union all
    {% endif %}
    {%- endfor %}
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
        (pair_count + 1.0)
        / (sum(pair_count) over (partition by comparison) + count(*) over (partition by comparison))
            as u_probability
    from counted
)

select * from final
