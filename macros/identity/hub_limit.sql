{#- The most distinct identifiers of any one other type that an identifier of this type
    may be seen with before it is treated as a hub (a shop's shared email, a household
    landline, a reused card) and kept out of stitching. Set per type with vars
    identity__hub_limit_<type>; identity__hub_limit_default applies otherwise. -#}
{% macro hub_limit(type_expression) -%}
    case {{ type_expression }}
        {%- for name, info in personagraph.identifier_types().items() | sort if info.class == 'known' %}
        when '{{ name }}' then {{ var('identity__hub_limit_' ~ name, var('identity__hub_limit_default', 5)) }}
        {%- endfor %}
        else {{ var('identity__hub_limit_default', 5) }}
    end
{%- endmacro %}
