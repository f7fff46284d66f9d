{#- The most distinct identifiers of one type (the neighbour type) that an identifier
    may be seen with, on the same records, before it is treated as shared by several
    people (a hub) and kept out of stitching. Vars identity__hub_limit_<neighbour type>;
    identity__hub_limit_default otherwise. An email seen with two shop accounts, a
    phone seen with four cards, a store's email seen with many loyalty cards are hubs;
    identifiers of the types in identity__hub_exempt_types (a system of record's own
    account ids) never are. -#}
{% macro hub_limit(neighbour_type_expression) -%}
    case {{ neighbour_type_expression }}
        {%- for name, info in personagraph.identifier_types().items() | sort if info.class == 'known' %}
        when '{{ name }}' then {{ var('identity__hub_limit_' ~ name, var('identity__hub_limit_default')) }}
        {%- endfor %}
        else {{ var('identity__hub_limit_default') }}
    end
{%- endmacro %}

{#- The exempt types as a SQL list. -#}
{% macro hub_exempt_types() -%}
    (
        {%- for name in var('identity__hub_exempt_types') -%}
        '{{ name }}'{{ ', ' if not loop.last }}
        {%- endfor -%}
    )
{%- endmacro %}
