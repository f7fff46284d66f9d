{#- Trim whitespace (including non-breaking and other unicode spaces), collapse inner
    runs of whitespace to one space, and read an empty string as null. The replacing
    regular expression runs only on values that need it (most values are clean, and
    replacing every single space of a long user agent is slow). -#}
{% macro clean_text(expression) -%}
    nullif(case
        when {{ personagraph.regex_matches(expression, '[\\s\\p{Z}\\x{200B}\\x{FEFF}]{2,}|[\\t\\n\\r\\f\\v\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200B}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}]') }}
            then trim({{ personagraph.regex_replace_all(expression, '[\\s\\p{Z}\\x{200B}\\x{FEFF}]+', ' ') }})
        else trim({{ expression }})
    end, '')
{%- endmacro %}

{#- An identifier as written (case kept), trimmed; blank reads as null. -#}
{% macro clean_id(expression) -%}
    {{ personagraph.clean_text(expression) }}
{%- endmacro %}
