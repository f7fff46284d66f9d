{#- Trim whitespace (including non-breaking and other unicode spaces), collapse inner
    runs of whitespace to one space, and read an empty string as null. -#}
{% macro clean_text(expression) -%}
    nullif({{ personagraph.regex_replace_all(
        personagraph.regex_replace_all(expression, '^[\\s\\p{Z}]+|[\\s\\p{Z}]+$', ''),
        '[\\s\\p{Z}]+', ' '
    ) }}, '')
{%- endmacro %}

{#- An identifier as written (case kept), trimmed; blank reads as null. -#}
{% macro clean_id(expression) -%}
    {{ personagraph.clean_text(expression) }}
{%- endmacro %}
