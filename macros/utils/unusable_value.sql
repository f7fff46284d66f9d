{#- The column's name when the raw value is present but could not be used (the typed
    value is null); otherwise null. Combine several with concat_ws to list the
    values a row lost to normalisation. -#}
{% macro unusable_value(column, typed_expression) -%}
    case
        when {{ personagraph.clean_text(column) }} is not null and ({{ typed_expression }}) is null
            then '{{ column }}'
    end
{%- endmacro %}

{% macro unusable_values(pairs) -%}
    nullif(concat_ws(', ',
        {%- for column, typed_expression in pairs %}
        {{ personagraph.unusable_value(column, typed_expression) }}{{ ',' if not loop.last }}
        {%- endfor %}
    ), '')
{%- endmacro %}
