{#- Street-type and unit words written in full, so that "12 Oak St" and "12 Oak Street"
    agree. Keys are whole words of a normalised address. -#}
{% macro address_word_forms() -%}
    {{ return({
        'st': 'street', 'str': 'street', 'rd': 'road', 'ave': 'avenue', 'av': 'avenue',
        'ln': 'lane', 'dr': 'drive', 'cres': 'crescent', 'cr': 'crescent', 'ct': 'court',
        'pl': 'place', 'sq': 'square', 'gdns': 'gardens', 'gr': 'grove', 'ter': 'terrace',
        'terr': 'terrace', 'blvd': 'boulevard', 'hwy': 'highway', 'pk': 'park',
        'apt': 'flat', 'apartment': 'flat', 'unit': 'flat', 'no': 'number',
        'n': 'north', 's': 'south', 'e': 'east', 'w': 'west', 'mt': 'mount',
    }) }}
{%- endmacro %}

{#- An address line as matching words: lower case, accents folded, every character that
    is not a letter or digit a separator, abbreviations written in full, single spaces.
    "12, Oak St." -> "12 oak street"; "Apt 4, 7 Elm Rd" -> "flat 4 7 elm road". -#}
{% macro normalize_address(expression) -%}
    {%- set words = namespace(sql=personagraph.address_words(expression)) -%}
    {%- for part in range(address_word_parts()) -%}
        {%- set words.sql = personagraph.spell_out_address_words(words.sql, part) -%}
    {%- endfor -%}
    nullif(trim({{ words.sql }}), '')
{%- endmacro %}

{#- spell_out_address_words works on the word forms in this many parts, so that a model
    can apply them in successive steps (keeping each expression shallow). -#}
{% macro address_word_parts() -%}
    {{ return(3) }}
{%- endmacro %}

{#- First half of normalize_address: lower-case words separated by single spaces, with a
    space at each end (so that every word is ' word '). -#}
{% macro address_words(expression) -%}
    ' ' || {{ personagraph.regex_replace_all(
        personagraph.fold_accents('lower(' ~ personagraph.clean_text(expression) ~ ')'),
        '[^a-z0-9]+', ' '
    ) }} || ' '
{%- endmacro %}

{#- Second half of normalize_address: one part (0, 1, ...) of the abbreviations written in
    full. Takes the output of address_words or of the previous part; the result keeps
    its spaces at both ends (trim it after the last part). -#}
{% macro spell_out_address_words(words, part) -%}
    {%- set spelled = namespace(sql=words) -%}
    {%- set forms = personagraph.address_word_forms().items() | sort | list -%}
    {%- for short, full in forms -%}
        {%- if loop.index0 % address_word_parts() == part -%}
            {%- set spelled.sql = "replace(" ~ spelled.sql ~ ", ' " ~ short ~ " ', ' " ~ full ~ " ')" -%}
        {%- endif -%}
    {%- endfor -%}
    {{ spelled.sql }}
{%- endmacro %}

{#- The first number in a normalised address (the house number, or the flat number when
    the flat comes first), null when there is none. -#}
{% macro address_house_number(expression) -%}
    nullif({{ personagraph.regex_replace_all(
        personagraph.regex_replace_all(expression, '^[^0-9]*', ''), '[^0-9].*$', ''
    ) }}, '')
{%- endmacro %}

{#- The street words of a normalised address: its words without digits and without unit
    words, e.g. "flat 4 7 elm road" -> "elm road". Every space is doubled first, so each
    word has a space of its own on both sides and one pass removes neighbouring words
    too. -#}
{% macro address_street_words(expression) -%}
    nullif(trim({{ personagraph.regex_replace_all(
        personagraph.regex_replace_all(
            "' ' || replace(" ~ expression ~ ", ' ', '  ') || ' '",
            ' (flat|number|[a-z]?[0-9][a-z0-9]*) ', ' '
        ),
        ' +', ' '
    ) }}), '')
{%- endmacro %}
