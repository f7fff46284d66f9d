{#- The raw text columns of a row as one JSON object, kept with quarantined rows so
    that nothing is lost and the row can be found in its file. -#}
{% macro raw_record_json(columns) -%}
    {{ return(adapter.dispatch('raw_record_json', 'personagraph')(columns)) }}
{%- endmacro %}

{% macro default__raw_record_json(columns) -%}
    to_json(named_struct(
        {%- for column in columns %}
        '{{ column }}', {{ adapter.quote(column) }}{{ ',' if not loop.last }}
        {%- endfor %}
    ))
{%- endmacro %}

{% macro duckdb__raw_record_json(columns) -%}
    cast(to_json(struct_pack(
        {%- for column in columns %}
        {{ adapter.quote(column) }} := {{ adapter.quote(column) }}{{ ',' if not loop.last }}
        {%- endfor %}
    )) as varchar)
{%- endmacro %}

{#- A list of strings as a SQL list literal: ('a', 'b'). -#}
{% macro sql_list(values) -%}
    (
        {%- for value in values -%}
        '{{ value }}'{{ ', ' if not loop.last }}
        {%- endfor -%}
    )
{%- endmacro %}
