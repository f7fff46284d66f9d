-- depends_on: {{ ref('match_parameters') }}
-- depends_on: {{ ref('int_match_comparison_patterns') }}
-- depends_on: {{ ref('int_match_u_probabilities') }}
-- depends_on: {{ ref('int_match_person_records') }}
-- One row per comparison and level: the m-probability (the level's share among true
-- matches), the u-probability (its share among non-matches) and the match weight
-- log2(m / u), with the prior match probability among candidate pairs. Estimated from
-- the data on every build (u from random pairs, m and the prior by expectation
-- maximisation, macros/matching/estimate_match_parameters.sql) unless the
-- match_parameters seed holds pinned values (`personagraph pin-parameters`), which then
-- win as they are, so rebuilds and other engines use exactly the same numbers.

{%- set comparisons = personagraph.match_comparisons() %}
{%- set pinned_rows = 0 %}
{%- if execute %}
    {%- set pinned_rows = run_query('select count(*) from ' ~ ref('match_parameters')).columns[0].values()[0] | int %}
{%- endif %}
{%- if pinned_rows == 0 %}
    {%- set estimate = personagraph.estimate_match_parameters(
        ref('int_match_comparison_patterns'), ref('int_match_u_probabilities'),
        ref('int_match_person_records')
    ) %}
{%- endif %}

with

{% if pinned_rows > 0 -%}
parameters as (
    select
        comparison,
        cast(comparison_level as integer) as comparison_level,
        cast(m_probability as double) as m_probability,
        cast(u_probability as double) as u_probability,
        cast(prior_match_probability as double) as prior_match_probability,
        'pinned' as parameter_source,
        0 as em_rounds,
        true as em_converged
    from {{ ref('match_parameters') }}
),
{%- else -%}
parameters as (
    {% for comparison in comparisons -%}
    {% set outer = loop %}
    {%- for level in comparison.levels | sort | reverse -%}
    select
        '{{ comparison.name }}' as comparison,
        {{ level }} as comparison_level,
        cast({{ '%.12g' | format(estimate.m[comparison.name][level]) }} as double) as m_probability,
        cast({{ '%.12g' | format(estimate.u[comparison.name].get(level, 1.0)) }} as double) as u_probability,
        cast({{ '%.12g' | format(estimate.prior) }} as double) as prior_match_probability,
        'estimated' as parameter_source,
        {{ estimate.rounds }} as em_rounds,
        {{ 'true' if estimate.converged else 'false' }} as em_converged
    {%- if not (outer.last and loop.last) %}
    union all
    {% endif %}
    {%- endfor %}
    {%- endfor %}
),
{%- endif %}

labels as (
    {% for comparison in comparisons -%}
    {% set outer = loop %}
    {%- for level, label in comparison.levels | dictsort -%}
    select
        '{{ comparison.name }}' as comparison,
        {{ level }} as comparison_level,
        '{{ label }}' as level_label,
        {{ 'true' if comparison.tf_level == level else 'false' }} as is_term_frequency_adjusted
    {%- if not (outer.last and loop.last) %}
    union all
    {% endif %}
    {%- endfor %}
    {%- endfor %}
),

final as (
    select
        parameters.comparison,
        parameters.comparison_level,
        labels.level_label,
        labels.is_term_frequency_adjusted,
        parameters.m_probability,
        parameters.u_probability,
        log2(parameters.m_probability / parameters.u_probability) as match_weight,
        parameters.prior_match_probability,
        parameters.parameter_source,
        parameters.em_rounds,
        parameters.em_converged
    from parameters
    inner join labels
        on
            parameters.comparison = labels.comparison
            and parameters.comparison_level = labels.comparison_level
)

select * from final
