{#- Trim whitespace (including non-breaking and other unicode spaces), collapse inner
    runs of whitespace to one space, drop control characters (NUL, bell, escape, ...),
    and read an empty string as null. The replacing regular expressions run only on
    values that need them (most values are clean, and replacing every single space of
    a long user agent is slow), and trim only on values that start or end with a space. -#}
{% macro clean_text(expression) -%}
    {%- set spaces = '\\s\\x{0B}\\x{85}\\p{Z}\\x{200B}\\x{FEFF}' -%}
    {%- set controls = '\\x{00}-\\x{08}\\x{0E}-\\x{1F}\\x{7F}-\\x{84}\\x{86}-\\x{9F}' -%}
    {%- set unusual = '\\t\\n\\r\\f\\x{0B}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200B}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}' -%}
    nullif(case
        when {{ personagraph.regex_matches(expression, '[' ~ spaces ~ ']{2,}|[' ~ unusual ~ controls ~ ']') }}
            then trim({{ personagraph.regex_replace_all(
                personagraph.regex_replace_all(expression, '[' ~ controls ~ ']', ''), '[' ~ spaces ~ ']+', ' '
            ) }})
        {#- No other space or control character is left here, so only a leading or
            trailing ASCII space can be trimmed (DuckDB's trim strips the Zs spaces,
            every one of them but U+0020 caught above; Spark's only U+0020): skip trim,
            which copies every string, when there is none. -#}
        when {{ expression }} like ' %' or {{ expression }} like '% ' then trim({{ expression }})
        else {{ expression }}
    end, '')
{%- endmacro %}

{#- An identifier as written (case kept), trimmed; blank reads as null. -#}
{% macro clean_id(expression) -%}
    {{ personagraph.clean_text(expression) }}
{%- endmacro %}
