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

{#- True when two texts are at most one edit apart (edit_distance <= 1), the distance
    computed only where it can be that small. The filters are necessary conditions: the
    lengths differ by at most one, and one edit leaves either the first half of the
    shorter text's length unchanged at the start or the rest of that length unchanged at the
    end. Most pairs of emails fail them, and the edit distance of two emails costs about
    twenty times the filters. Engine-neutral SQL around the dispatched edit_distance. -#}
{% macro within_one_edit(left, right) -%}
    {%- set shorter = 'least(length(' ~ left ~ '), length(' ~ right ~ '))' -%}
    {%- set head = 'cast(floor(greatest(' ~ shorter ~ ' - 1, 0) / 2) as integer)' -%}
    {%- set tail = 'greatest(' ~ shorter ~ ' - ' ~ head ~ ', 0)' -%}
    (
        abs(length({{ left }}) - length({{ right }})) <= 1
        and (
            left({{ left }}, {{ head }}) = left({{ right }}, {{ head }})
            or right({{ left }}, {{ tail }}) = right({{ right }}, {{ tail }})
        )
        and {{ personagraph.edit_distance(left, right) }} <= 1
    )
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
    (case when {{ expression }} >= 0 then '+' else '' end || cast(round({{ expression }}, 1) as {{ dbt.type_string() }}))
{%- endmacro %}

{#- Spark: the same algorithm as DuckDB's jaro_winkler_similarity (rapidfuzz), written
    with higher-order functions. Matching window max(len1, len2) / 2 - 1 (integer
    division, at least 0); each character of the left string takes the first unmatched
    equal character of the right string inside the window; transpositions are the
    matched characters that differ in order, halved by integer division (as DuckDB
    does); the Winkler bonus (0.1 per common
    prefix character, at most 4) applies when the Jaro similarity is above 0.7. Empty
    strings give 0, as on DuckDB. -#}
{% macro spark__jaro_winkler(left, right) -%}
    {#- Values are bound once with element_at(transform(array(value), name -> ...), 1). -#}
    {%- set window = 'greatest(cast(floor(greatest(length(s.a), length(s.b)) / 2) as int) - 1, 0)' -%}
    {%- set low = 'greatest(1, i - ' ~ window ~ ')' -%}
    {%- set high = 'least(length(s.b), i + ' ~ window ~ ')' -%}
    {%- set first_candidate = 'try_element_at(filter(if(' ~ low ~ ' <= ' ~ high ~ ', sequence(' ~ low ~ ', ' ~ high
        ~ '), array()), j -> not try_element_at(acc.taken, j) and substr(s.b, j, 1) = substr(s.a, i, 1)), 1)' -%}
    case
        when length({{ left }}) = 0 or length({{ right }}) = 0 then cast(0 as double)
        else element_at(transform(array(named_struct('a', {{ left }}, 'b', {{ right }})), s ->
            element_at(transform(array(
                aggregate(
                    sequence(1, length(s.a)),
                    named_struct('taken', array_repeat(false, length(s.b)), 'left_chars', cast(array() as array<string>)),
                    (acc, i) -> named_struct(
                        'taken', transform(acc.taken, (x, k) -> x or coalesce(k + 1 = {{ first_candidate }}, false)),
                        'left_chars', if(
                            {{ first_candidate }} is null,
                            acc.left_chars,
                            concat(acc.left_chars, array(substr(s.a, i, 1)))
                        )
                    )
                )
            ), m ->
                element_at(transform(array(named_struct(
                    'matches', cast(size(m.left_chars) as double),
                    'right_chars', filter(
                        transform(sequence(1, length(s.b)), k -> if(try_element_at(m.taken, k), substr(s.b, k, 1), null)),
                        x -> x is not null
                    )
                )), r ->
                    case
                        when r.matches = 0 then cast(0 as double)
                        else element_at(transform(array(
                            (
                                r.matches / length(s.a) + r.matches / length(s.b)
                                + (r.matches - cast(size(filter(
                                    sequence(1, size(m.left_chars)),
                                    k -> try_element_at(m.left_chars, k) != try_element_at(r.right_chars, k)
                                )) div 2 as double)) / r.matches
                            ) / 3
                        ), jaro ->
                            jaro + case
                                when jaro > 0.7
                                    then size(filter(
                                        sequence(1, least(length(s.a), length(s.b), 4)),
                                        k -> substr(s.a, 1, k) = substr(s.b, 1, k)
                                    )) * 0.1D * (1 - jaro)
                                else 0
                            end
                        ), 1)
                    end
                ), 1)
            ), 1)
        ), 1)
    end
{%- endmacro %}
