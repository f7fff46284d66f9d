{#- Prints what estimate_match_parameters finds for the given relations as one JSON line
    ({"m": {comparison: {level: m}}, "u": ..., "prior", "candidate_prior", "rounds",
    "converged"}) without building anything: for tests on prepared tables
    (tests/python/test_match_estimation.py) and for a look at an estimate, e.g.
    dbt run-operation print_match_parameter_estimate --args
    '{patterns: identity.int_match_comparison_patterns,
      u_probabilities: identity.int_match_u_probabilities,
      person_records: identity.int_match_person_records}' -#}
{% macro print_match_parameter_estimate(patterns, u_probabilities, person_records) -%}
    {%- set estimate = personagraph.estimate_match_parameters(patterns, u_probabilities, person_records) -%}
    {%- do print(tojson(estimate)) -%}
{%- endmacro %}
