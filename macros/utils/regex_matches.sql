{#- True when the expression contains a match of the regular expression
    (DuckDB regexp_matches, Spark rlike). -#}
{% macro regex_matches(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'personagraph')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(expression, pattern) -%}
    ({{ expression }} rlike '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__regex_matches(expression, pattern) -%}
    regexp_matches({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{#- Like regex_matches, with the pattern taken from a column instead of a literal. -#}
{% macro regex_matches_column(expression, pattern_expression) -%}
    {{ return(adapter.dispatch('regex_matches_column', 'personagraph')(expression, pattern_expression)) }}
{%- endmacro %}

{% macro default__regex_matches_column(expression, pattern_expression) -%}
    ({{ expression }} rlike {{ pattern_expression }})
{%- endmacro %}

{% macro duckdb__regex_matches_column(expression, pattern_expression) -%}
    regexp_matches({{ expression }}, {{ pattern_expression }})
{%- endmacro %}

{#- Spark: backslashes are escapes in its string literals, so the pattern's are doubled. -#}
{% macro spark__regex_matches(expression, pattern) -%}
    ({{ expression }} rlike '{{ pattern | replace("\\", "\\\\") }}')
{%- endmacro %}
