{#- A whole row of a relation alias as JSON text (every column, names as keys). -#}
{% macro row_json(alias) -%}
    {{ return(adapter.dispatch('row_json', 'personagraph')(alias)) }}
{%- endmacro %}

{% macro default__row_json(alias) -%}
    to_json(struct({{ alias }}.*))
{%- endmacro %}

{% macro duckdb__row_json(alias) -%}
    cast(to_json({{ alias }}) as varchar)
{%- endmacro %}
