{#- Trim whitespace (including non-breaking and other unicode spaces), collapse inner
    runs of whitespace to one space, drop control characters (NUL, bell, escape, ...),
    and read an empty string as null. The replacing regular expressions run only on
    values that need them (most values are clean, and replacing every single space of
    a long user agent is slow), and trim only on values that start or end with a space. -#}
{% macro clean_text(expression) -%}
    {%- set spaces = '\\s\\x{0B}\\x{85}\\p{Z}\\x{200B}\\x{FEFF}' -%}
    {%- set controls = '\\x{00}-\\x{08}\\x{0E}-\\x{1F}\\x{7F}-\\x{84}\\x{86}-\\x{9F}' -%}
    {%- set unusual = '\\t\\n\\r\\f\\x{0B}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200B}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}' -%}
    {#- Most values are printable ASCII with single spaces: they skip the regular
        expressions below, which cost far more per value than these checks. -#}
    nullif(case
        when {{ personagraph.is_plain_single_spaced_ascii(expression) }}
            then case
                when {{ expression }} like ' %' or {{ expression }} like '% ' then trim({{ expression }})
                else {{ expression }}
            end
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

{#- The text a normaliser works on: clean_text(expression), or expression itself when
    already_clean (a column that went through clean_text before, as in the typing
    models' `cleaned` step). Every normaliser (normalize_*, parse_*, accepted_code) takes
    already_clean=false: cleaning once per column instead of once per reference inside
    each normaliser keeps the compiled SQL of a typing model small (parse_timestamp
    refers to its text 24 times). -#}
{% macro as_clean_text(expression, already_clean=false) -%}
    {{ expression if already_clean else personagraph.clean_text(expression) }}
{%- endmacro %}

{#- `clean_text(column) as column` for each column, comma separated: the cleaned step of
    a typing model. -#}
{% macro clean_columns(columns) -%}
    {%- for column in columns %}
        {{ personagraph.clean_text(column) }} as {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- True when a text value holds only printable ASCII characters (space to tilde) and no
    two spaces in a row, so that clean_text has nothing to replace in it; false (or null)
    when that is not known. It only chooses a faster path: a false answer costs time, never
    correctness. DuckDB: the byte length equals the character length (ASCII only), JSON
    quoting adds nothing but the two quotes (no control character, quote or backslash),
    and no DEL character (which JSON leaves as it is). -#}
{% macro is_plain_single_spaced_ascii(expression) -%}
    {{ return(adapter.dispatch('is_plain_single_spaced_ascii', 'personagraph')(expression)) }}
{%- endmacro %}

{% macro default__is_plain_single_spaced_ascii(expression) -%}
    false
{%- endmacro %}

{% macro duckdb__is_plain_single_spaced_ascii(expression) -%}
    (
        strlen({{ expression }}) = length({{ expression }})
        and strlen(to_json({{ expression }})) = strlen({{ expression }}) + 2
        and not contains({{ expression }}, chr(127))
        and not contains({{ expression }}, '  ')
    )
{%- endmacro %}
