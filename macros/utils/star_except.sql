{#- Every column of the select's input but the given ones: DuckDB's `* exclude (...)`,
    Spark's (checked on 4.3) and Databricks' `* except (...)`. -#}
{% macro star_except(columns) -%}
    {{ return(adapter.dispatch('star_except', 'personagraph')(columns)) }}
{%- endmacro %}

{% macro default__star_except(columns) -%}
    * except ({{ columns | join(', ') }})
{%- endmacro %}

{% macro duckdb__star_except(columns) -%}
    * exclude ({{ columns | join(', ') }})
{%- endmacro %}
