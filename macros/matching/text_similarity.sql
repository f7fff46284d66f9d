{#- Jaro-Winkler similarity of two strings, 0 to 1 (prefix scale 0.1, prefix up to 4
    characters). Null when either side is null. -#}
{% macro jaro_winkler(left, right) -%}
    {{ return(adapter.dispatch('jaro_winkler', 'personagraph')(left, right)) }}
{%- endmacro %}

{% macro default__jaro_winkler(left, right) -%}
    {{ exceptions.raise_compiler_error(
        'jaro_winkler has no implementation for adapter ' ~ adapter.type()
        ~ ': add ' ~ adapter.type() ~ '__jaro_winkler in macros/matching/text_similarity.sql'
    ) }}
{%- endmacro %}

{% macro duckdb__jaro_winkler(left, right) -%}
    jaro_winkler_similarity({{ left }}, {{ right }})
{%- endmacro %}

{#- Levenshtein edit distance (insertions, deletions, substitutions). The function has
    the same name and meaning on DuckDB and Spark. -#}
{% macro edit_distance(left, right) -%}
    {{ return(adapter.dispatch('edit_distance', 'personagraph')(left, right)) }}
{%- endmacro %}

{% macro default__edit_distance(left, right) -%}
    levenshtein({{ left }}, {{ right }})
{%- endmacro %}

{#- A sound code for a name, in the spirit of Soundex, identical on every engine
    because it is built from portable string functions only: the first letter, then
    up to three digits for the consonant classes that follow (b f p v = 1; c g j k q
    s x z = 2; d t = 3; l = 4; m n = 5; r = 6). Vowels separate repeated classes, h
    and w do not; the first letter's own class is not repeated. 'robert' and 'rupert'
    -> 'r163', 'tymczak' -> 't522', 'pfister' -> 'p236'. Expects a normalised name
    (lower-case letters and spaces); only its first word is coded. -#}
{% macro sound_code(expression) -%}
    {%- set word = "split_part(" ~ expression ~ ", ' ', 1)" -%}
    {%- set letters = "'bfpvcgjkqsxzdtlmnraeiouyhw'" -%}
    {#- The first letter's class ('.' for a vowel, h or w), then the classes of the
        other letters ('.' for a vowel; h and w have no counterpart and are deleted). -#}
    {%- set classes = "translate(substr(" ~ word ~ ", 1, 1), " ~ letters ~ ", '111122222222334556........')"
        ~ " || translate(substr(" ~ word ~ ", 2), " ~ letters ~ ", '111122222222334556......')" -%}
    {%- set collapsed = namespace(sql=classes) -%}
    {%- for digit in ['1', '2', '3', '4', '5', '6'] -%}
        {%- set collapsed.sql = personagraph.regex_replace_all(collapsed.sql, digit ~ digit ~ '+', digit) -%}
    {%- endfor -%}
    case
        when {{ word }} = '' then null
        else substr({{ word }}, 1, 1) || rpad(substr(replace(substr({{ collapsed.sql }}, 2), '.', ''), 1, 3), 3, '0')
    end
{%- endmacro %}

{#- The last space-separated word of a normalised text. -#}
{% macro last_word(expression) -%}
    {{ return(adapter.dispatch('last_word', 'personagraph')(expression)) }}
{%- endmacro %}

{% macro default__last_word(expression) -%}
    element_at(split({{ expression }}, ' '), -1)
{%- endmacro %}

{% macro duckdb__last_word(expression) -%}
    string_split({{ expression }}, ' ')[-1]
{%- endmacro %}

{#- A number as text with a sign and one decimal, e.g. +10.2 or -3.7. -#}
{% macro signed_number(expression) -%}
    (case when {{ expression }} >= 0 then '+' else '' end || cast(round({{ expression }}, 1) as varchar))
{%- endmacro %}
