{#- The value of `expression` on the row with the least `order_expressions` (compared in
    order, like an order by) among a group's rows: an aggregate, cheaper than a
    row_number window over the group. Ties in the order give any of the tied rows'
    values, so the order should end with a unique column. Rows where an order
    expression is null are compared as the engine compares structs holding a null;
    pass order columns that are not null. -#}
{% macro value_of_least(expression, order_expressions) -%}
    {{ return(adapter.dispatch('value_of_least', 'personagraph')(expression, order_expressions)) }}
{%- endmacro %}

{% macro default__value_of_least(expression, order_expressions) -%}
    min_by({{ expression }}, struct({{ order_expressions | join(', ') }}))
{%- endmacro %}

{% macro duckdb__value_of_least(expression, order_expressions) -%}
    arg_min({{ expression }}, row({{ order_expressions | join(', ') }}))
{%- endmacro %}
