{#- The pattern entries of the blocklist seed (identifier_type, match_value), in the order
    of int_identity_blocked_identifiers' pattern_number: by identifier_type, then
    match_value. Read when the model runs (the seed is its parent, so it is built by then);
    when only compiling (docs, sqlfluff) before any build, an empty list. -#}
{% macro blocklist_patterns(blocklist_relation) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set found = adapter.get_relation(
        blocklist_relation.database, blocklist_relation.schema, blocklist_relation.identifier
    ) -%}
    {%- if found is none -%}
        {%- if flags.WHICH in ('run', 'build') and model.resource_type == 'model' -%}
            {{ exceptions.raise_compiler_error(
                'personagraph: the blocklist seed ' ~ blocklist_relation ~ ' is not built;'
                ~ ' run dbt seed (or dbt build) first'
            ) }}
        {%- endif -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set result = run_query(
        'select identifier_type, match_value from ' ~ blocklist_relation
        ~ " where match_type = 'pattern' order by identifier_type, match_value"
    ) -%}
    {%- set patterns = [] -%}
    {%- for row in result.rows -%}
        {%- do patterns.append({'identifier_type': row[0], 'match_value': row[1]}) -%}
    {%- endfor -%}
    {{ return(patterns) }}
{%- endmacro %}
