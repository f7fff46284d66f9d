{#- True when the expression contains a match of the regular expression
    (DuckDB regexp_matches, Spark rlike). The pattern is written as a string literal
    (single quotes doubled), so the engine compiles it once, not once per row as it
    does a pattern read from a column. -#}
{% macro regex_matches(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'personagraph')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regex_matches(expression, pattern) -%}
    ({{ expression }} rlike '{{ pattern | replace("'", "''") }}')
{%- endmacro %}

{% macro duckdb__regex_matches(expression, pattern) -%}
    regexp_matches({{ expression }}, '{{ pattern | replace("'", "''") }}')
{%- endmacro %}

{#- Spark: backslashes are escapes in its string literals, so the pattern's are doubled. -#}
{% macro spark__regex_matches(expression, pattern) -%}
    ({{ expression }} rlike '{{ pattern | replace("\\", "\\\\") | replace("'", "''") }}')
{%- endmacro %}
