{#- Trim whitespace (including non-breaking and other unicode spaces), collapse inner
    runs of whitespace to one space, drop control characters (NUL, bell, escape, ...),
    and read an empty string as null. The replacing regular expressions run only on
    values that need them (most values are clean, and replacing every single space of
    a long user agent is slow). -#}
{% macro clean_text(expression) -%}
    {%- set spaces = '\\s\\x{0B}\\x{85}\\p{Z}\\x{200B}\\x{FEFF}' -%}
    {%- set controls = '\\x{00}-\\x{08}\\x{0E}-\\x{1F}\\x{7F}-\\x{84}\\x{86}-\\x{9F}' -%}
    {%- set unusual = '\\t\\n\\r\\f\\x{0B}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200B}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}' -%}
    nullif(case
        when {{ personagraph.regex_matches(expression, '[' ~ spaces ~ ']{2,}|[' ~ unusual ~ controls ~ ']') }}
            then trim({{ personagraph.regex_replace_all(
                personagraph.regex_replace_all(expression, '[' ~ controls ~ ']', ''), '[' ~ spaces ~ ']+', ' '
            ) }})
        else trim({{ expression }})
    end, '')
{%- endmacro %}

{#- An identifier as written (case kept), trimmed; blank reads as null. -#}
{% macro clean_id(expression) -%}
    {{ personagraph.clean_text(expression) }}
{%- endmacro %}
