{#- The pattern entries of the blocklist seed (identifier_type, match_value), in the order
    of int_identity_blocked_identifiers' pattern_number: by identifier_type, then
    match_value. Read when the model runs (the seed is its parent, so it is built by then);
    an empty list when only parsing, or compiling before the seed exists. -#}
{% macro blocklist_patterns(blocklist_relation) -%}
    {%- set patterns = [] -%}
    {%- if execute and load_relation(blocklist_relation) is not none -%}
        {%- for row in run_query(
            'select identifier_type, match_value from ' ~ blocklist_relation
            ~ " where match_type = 'pattern' order by identifier_type, match_value"
        ).rows -%}
            {%- do patterns.append({'identifier_type': row[0], 'match_value': row[1]}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(patterns) }}
{%- endmacro %}
