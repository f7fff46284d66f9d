-- One row per candidate pair: each comparison's level and weight (log2 of m / u, with
-- the term-frequency adjustment log2(u / frequency of the agreeing value) at the
-- adjusted level), the total match weight (prior odds plus the comparison weights) and
-- the match probability. Missing values (level -1) weigh nothing.

{%- set comparisons = personagraph.match_comparisons() %}

with

pair_comparisons as (
    select * from {{ ref('int_match_pair_comparisons') }}
),

parameters as (
    select * from {{ ref('int_match_parameters') }}
),

prior as (
    select max(prior_match_probability) as prior_match_probability
    from parameters
),

weighted as (
    select
        pair_comparisons.left_key,
        pair_comparisons.right_key,
        pair_comparisons.blocking_rule,
        pair_comparisons.is_same_component,
        {%- for comparison in comparisons %}
        pair_comparisons.{{ comparison.name }}_level,
        coalesce(
            {{ comparison.name }}_parameters.match_weight
            {%- if comparison.tf_level is not none %}
            + case
                when pair_comparisons.{{ comparison.name }}_level = {{ comparison.tf_level }}
                    then log2({{ comparison.name }}_parameters.u_probability / pair_comparisons.{{ comparison.name }}_tf)
                else 0
            end
            {%- endif %},
            0
        ) as {{ comparison.name }}_weight,
        {%- endfor %}
        log2(prior.prior_match_probability / (1 - prior.prior_match_probability)) as prior_weight
    from pair_comparisons
    cross join prior
    {%- for comparison in comparisons %}
    left join parameters as {{ comparison.name }}_parameters
        on
            {{ comparison.name }}_parameters.comparison = '{{ comparison.name }}'
            and pair_comparisons.{{ comparison.name }}_level = {{ comparison.name }}_parameters.comparison_level
    {%- endfor %}
),

summed as (
    select
        *,
        prior_weight
        {%- for comparison in comparisons %}
        + {{ comparison.name }}_weight
        {%- endfor %} as match_weight
    from weighted
),

final as (
    select
        *,
        1.0 / (1.0 + power(2.0, -match_weight)) as match_probability
    from summed
)

select * from final
