{#- The columns a raw source table declares in its _<source>__sources.yml, in order. -#}
{% macro raw_source_columns(source_name, table_name) -%}
    {%- set key = 'source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ table_name -%}
    {%- set node = graph.sources.get(key) if graph is defined and graph.sources else none -%}
    {%- if node is none -%}
        {{ return([]) }}
    {%- endif -%}
    {{ return(node.columns.keys() | list) }}
{%- endmacro %}
