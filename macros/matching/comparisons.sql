{#- The comparisons of probabilistic matching and their levels, best agreement first.
    Level -1 means a value is missing on one side (no evidence either way); level 0 is
    disagreement. Every level gets its own m and u probability and log-likelihood-ratio
    weight (int_match_parameters). tf: the level whose u-probability is replaced by the
    agreeing value's term frequency (common names and places prove less). A city is
    compared only where the postcodes do not agree exactly: one postcode names one city,
    so counting both would count the same evidence twice (level -1 then). -#}
{% macro match_comparisons() -%}
    {{ return([
        {'name': 'name', 'tf_level': 8, 'levels': {
            8: 'exact', 7: 'first and last swapped (within jaro-winkler 0.92)', 6: 'nickname, same surname',
            5: 'first name jaro-winkler >= 0.92, surname >= 0.8', 4: 'initial matches first name, same surname',
            3: 'both names jaro-winkler >= 0.8, surnames not equal',
            2: 'same first name, other surname', 1: 'same surname only', 0: 'different'}},
        {'name': 'date_of_birth', 'tf_level': none, 'levels': {
            4: 'exact', 3: 'day and month transposed', 2: 'one component differs',
            1: 'same year only', 0: 'different'}},
        {'name': 'address', 'tf_level': none, 'levels': {
            3: 'exact', 2: 'same house number, similar street', 1: 'similar street, other number',
            0: 'different'}},
        {'name': 'postcode', 'tf_level': 3, 'levels': {
            3: 'exact', 2: 'one edit apart', 1: 'same district', 0: 'different'}},
        {'name': 'city', 'tf_level': 2, 'levels': {
            2: 'exact', 1: 'jaro-winkler >= 0.9', 0: 'different'}},
        {'name': 'email', 'tf_level': none, 'levels': {
            3: 'exact', 2: 'one edit apart', 1: 'same local part, other domain', 0: 'different'}},
        {'name': 'phone', 'tf_level': none, 'levels': {
            2: 'exact', 1: 'one edit apart', 0: 'different'}},
    ]) }}
{%- endmacro %}

{#- The levels at which a comparison tells two people apart, not just two households:
    a link must reach one of them (var matching__person_comparisons). -#}
{% macro person_agreement_levels() -%}
    {{ return({'name': 2, 'date_of_birth': 2, 'email': 2, 'phone': 1}) }}
{%- endmacro %}

{#- True when two dates of birth agree within one typo: equal, day and month transposed,
    or one of year, month and day different (date_of_birth levels 2 to 4). Dates
    further apart are conflicting strong evidence that no probabilistic link overrides. -#}
{% macro birth_dates_agree(left, right) -%}
    ({{ personagraph.date_of_birth_level(left, right) }}) >= 2
{%- endmacro %}

{#- The date_of_birth comparison level of two dates (see match_comparisons). -#}
{% macro date_of_birth_level(left, right) -%}
    case
        when {{ left }} is null or {{ right }} is null then -1
        when {{ left }} = {{ right }} then 4
        when
            year({{ left }}) = year({{ right }})
            and month({{ left }}) = day({{ right }})
            and day({{ left }}) = month({{ right }})
            then 3
        when
            (case when year({{ left }}) = year({{ right }}) then 1 else 0 end)
            + (case when month({{ left }}) = month({{ right }}) then 1 else 0 end)
            + (case when day({{ left }}) = day({{ right }}) then 1 else 0 end) = 2
            then 2
        when year({{ left }}) = year({{ right }}) then 1
        else 0
    end
{%- endmacro %}

{#- True when a group pair (alias, best levels) compares none of
    matching__person_comparisons: each is missing on one side or the other, so nothing
    speaks for or against one person. -#}
{% macro compares_no_person_values(alias) -%}
    (
        {%- for comparison in var('matching__person_comparisons') -%}
        coalesce({{ alias }}.{{ comparison }}_level, -1) = -1
        {{- ' and ' if not loop.last }}
        {%- endfor -%}
    )
{%- endmacro %}

{#- True when a compared pair (alias) agrees at a person-telling level on at least one
    of matching__person_comparisons. -#}
{% macro tells_people_apart(alias) -%}
    {%- set agreement = personagraph.person_agreement_levels() -%}
    (
        {%- for comparison in var('matching__person_comparisons') -%}
        {{ alias }}.{{ comparison }}_level >= {{ agreement[comparison] }}
        {{- ' or ' if not loop.last }}
        {%- endfor -%}
    )
{%- endmacro %}

{#- Comparison levels of two person records l and r (aliases of int_match_person_records
    rows) as columns <comparison>_level, plus <comparison>_tf, the term frequency of the
    agreeing value for comparisons with a tf level. nick_lr / nick_rl: aliases of the
    name_nicknames seed joined on (l's first name, r's first name) both ways. -#}
{% macro compare_person_records(l, r, nick_lr, nick_rl) -%}
    {%- set last_jw = personagraph.jaro_winkler(l ~ '.last_name', r ~ '.last_name') -%}
    {%- set first_jw = personagraph.jaro_winkler(l ~ '.first_name', r ~ '.first_name') -%}
    case
        when {{ l }}.last_name is null or {{ r }}.last_name is null then -1
        when {{ l }}.first_name = {{ r }}.first_name and {{ l }}.last_name = {{ r }}.last_name then 8
        when
            {{ personagraph.jaro_winkler(l ~ '.first_name', r ~ '.last_name') }} >= 0.92
            and {{ personagraph.jaro_winkler(l ~ '.last_name', r ~ '.first_name') }} >= 0.92
            then 7
        when {{ last_jw }} >= 0.92 and ({{ nick_lr }}.name is not null or {{ nick_rl }}.name is not null) then 6
        when {{ first_jw }} >= 0.92 and {{ last_jw }} >= 0.8 then 5
        when
            {{ last_jw }} >= 0.92
            and {{ l }}.first_initial = {{ r }}.first_initial
            and (length({{ l }}.first_name) = 1 or length({{ r }}.first_name) = 1)
            then 4
        -- Typos in both names. Not when the surnames are equal: a household shares its
        -- surname, and first names as close as mark and mary are two people (level 1).
        when {{ last_jw }} >= 0.8 and {{ first_jw }} >= 0.8 and {{ l }}.last_name != {{ r }}.last_name then 3
        -- A surname changed (on marriage, say): the same first name with another surname.
        when {{ l }}.first_name = {{ r }}.first_name and length({{ l }}.first_name) > 1 then 2
        when {{ last_jw }} >= 0.92 then 1
        else 0
    end as name_level,
    {{ l }}.first_name_frequency * {{ l }}.last_name_frequency as name_tf,
    {{ personagraph.date_of_birth_level(l ~ '.date_of_birth', r ~ '.date_of_birth') | indent(4) }} as date_of_birth_level,
    case
        -- A house number without street words ("181") is no address to compare.
        when {{ l }}.street is null or {{ r }}.street is null then -1
        when {{ l }}.address = {{ r }}.address then 3
        when
            {{ l }}.house_number = {{ r }}.house_number
            and {{ personagraph.jaro_winkler(l ~ '.street', r ~ '.street') }} >= 0.9
            then 2
        when {{ personagraph.jaro_winkler(l ~ '.street', r ~ '.street') }} >= 0.9 then 1
        else 0
    end as address_level,
    case
        when {{ l }}.postcode is null or {{ r }}.postcode is null then -1
        when {{ l }}.postcode = {{ r }}.postcode then 3
        when {{ personagraph.within_one_edit(l ~ '.postcode', r ~ '.postcode') }} then 2
        when {{ l }}.postcode_district = {{ r }}.postcode_district then 1
        else 0
    end as postcode_level,
    {{ l }}.postcode_frequency as postcode_tf,
    case
        when {{ l }}.city is null or {{ r }}.city is null then -1
        when {{ l }}.postcode = {{ r }}.postcode then -1
        when {{ l }}.city = {{ r }}.city then 2
        when {{ personagraph.jaro_winkler(l ~ '.city', r ~ '.city') }} >= 0.9 then 1
        else 0
    end as city_level,
    {{ l }}.city_frequency as city_tf,
    case
        when {{ l }}.email is null or {{ r }}.email is null then -1
        when {{ l }}.email = {{ r }}.email then 3
        when {{ personagraph.within_one_edit(l ~ '.email', r ~ '.email') }} then 2
        when {{ l }}.email_local_part = {{ r }}.email_local_part then 1
        else 0
    end as email_level,
    case
        when {{ l }}.phone is null or {{ r }}.phone is null then -1
        when {{ l }}.phone = {{ r }}.phone then 2
        when
            length({{ l }}.phone) = length({{ r }}.phone)
            and {{ personagraph.within_one_edit(l ~ '.phone', r ~ '.phone') }}
            then 1
        else 0
    end as phone_level
{%- endmacro %}

{#- The comparison columns of a relation of compared pairs, in the registry's order. -#}
{% macro comparison_level_columns() -%}
    {%- for comparison in personagraph.match_comparisons() -%}
        {{ comparison.name }}_level{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
