{#- A struct of the given columns, each field named after its column (read back as
    <struct>.<column>): DuckDB's struct_pack, Spark's named_struct. -#}
{% macro struct_of(columns) -%}
    {{ return(adapter.dispatch('struct_of', 'personagraph')(columns)) }}
{%- endmacro %}

{% macro default__struct_of(columns) -%}
    named_struct(
        {%- for column in columns -%}
            '{{ column }}', {{ column }}{{ ', ' if not loop.last }}
        {%- endfor -%}
    )
{%- endmacro %}

{% macro duckdb__struct_of(columns) -%}
    struct_pack(
        {%- for column in columns -%}
            {{ column }} := {{ column }}{{ ', ' if not loop.last }}
        {%- endfor -%}
    )
{%- endmacro %}
