{#- Values a raw row lost to normalisation: a raw value that is present (not blank) but
    whose typed value is null, such as an e-mail without an @ or a date that does not
    exist. Typing models check it in two steps, so that the normalising expression
    expands once (in the typed column) rather than twice:

    1. raw_value_presence(columns), in the select that types the cleaned raw columns
       (clean_columns): one boolean column per checked raw column,
       `<raw column>__raw_present`, true when the cleaned raw value is not null (the raw
       value held more than spaces and control characters);
    2. unusable_columns(columns), in a select over the first: the raw columns, in the
       given order, whose value was present and whose typed column is null, joined with
       ', '; null when there is none. It is selected beside
       star_except(raw_presence_columns(columns)), which drops the flags again.

    Each entry of columns names a raw column whose typed column has the same name, or is
    a pair (raw column, typed column) when the names differ. -#}
{% macro raw_value_presence(columns) -%}
    {%- for raw_column, _ in personagraph.checked_column_pairs(columns) %}
        {{ raw_column }} is not null as {{ raw_column }}__raw_present{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{% macro raw_presence_columns(columns) -%}
    {%- set names = [] -%}
    {%- for raw_column, _ in personagraph.checked_column_pairs(columns) -%}
        {%- do names.append(raw_column ~ '__raw_present') -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}

{% macro unusable_columns(columns) -%}
    nullif(concat_ws(', ',
        {%- for raw_column, typed_column in personagraph.checked_column_pairs(columns) %}
        case when {{ raw_column }}__raw_present and {{ typed_column }} is null then '{{ raw_column }}' end{{ ',' if not loop.last }}
        {%- endfor %}
    ), '')
{%- endmacro %}

{% macro checked_column_pairs(columns) -%}
    {%- set pairs = [] -%}
    {%- for column in columns -%}
        {%- do pairs.append((column, column) if column is string else (column[0], column[1])) -%}
    {%- endfor -%}
    {{ return(pairs) }}
{%- endmacro %}
