{#- Collapse rows that are exact copies of each other (every raw column equal) into
    one row, counting the copies. source_row_number is the first copy's position. -#}
{% macro deduplicate_exact_copies(relation, columns) -%}
    select
        {%- for column in columns %}
        {{ adapter.quote(column) }},
        {%- endfor %}
        min(_raw_row_number) as source_row_number,
        count(*) as copy_count
    from {{ relation }}
    group by
        {%- for column in columns %}
        {{ adapter.quote(column) }}{{ ',' if not loop.last }}
        {%- endfor %}
{%- endmacro %}
