-- depends_on: {{ ref('match_parameters') }}
-- depends_on: {{ ref('int_match_comparison_patterns') }}
-- depends_on: {{ ref('int_match_u_probabilities') }}
-- depends_on: {{ ref('int_match_person_records') }}
-- One row per comparison and level: the m-probability (the level's share among true
-- matches), the u-probability (its share among non-matches) and the match weight
-- log2(m / u), with the prior match probability. Estimated from the data on every build
-- (u from random pairs, m and the prior by expectation maximisation,
-- macros/matching/estimate_match_parameters.sql) unless the match_parameters seed holds
-- pinned values (`personagraph pin-parameters`), which then win as they are, so
-- rebuilds and other engines use exactly the same numbers.

{%- set pinned_rows = 0 %}
{%- set estimate = none %}
{%- if execute and load_relation(ref('match_parameters')) is not none %}
    {%- set pinned_rows = run_query('select count(*) from ' ~ ref('match_parameters')).columns[0].values()[0] | int %}
    {%- if pinned_rows == 0 %}
        {%- set estimate = personagraph.estimate_match_parameters(
            ref('int_match_comparison_patterns'), ref('int_match_u_probabilities'),
            ref('int_match_person_records')
        ) %}
    {%- endif %}
{%- endif %}

with

pinned as (
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

estimated as (
    {{ personagraph.estimated_parameter_rows(estimate, 'pinned') }}
),

parameters as (
    select * from pinned
    union all
    select * from estimated
),

labels as (
    {{ personagraph.comparison_level_rows() }}
),

final as (
    select
        parameters.comparison,
        parameters.comparison_level,
        labels.level_label,
        labels.is_term_frequency_adjusted,
        parameters.m_probability,
        parameters.u_probability,
        parameters.prior_match_probability,
        parameters.parameter_source,
        parameters.em_rounds,
        parameters.em_converged,
        {{ personagraph.weight_bits('parameters.m_probability / parameters.u_probability') }} as match_weight
    from parameters
    inner join labels
        on
            parameters.comparison = labels.comparison
            and parameters.comparison_level = labels.comparison_level
)

select * from final
