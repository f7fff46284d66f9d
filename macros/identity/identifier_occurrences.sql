{#- Union of identifier occurrences read from one staged relation.
    identifiers: list of dicts {column, type, rule, strength}. Rows whose identifier is
    null are skipped. -#}
{% macro identifier_occurrences(relation, source_table, record_id, seen_at, identifiers) -%}
    {%- for identifier in identifiers %}
    select
        '{{ source_table }}' as source_table,
        {{ record_id }} as source_record_id,
        {{ seen_at }} as seen_at,
        '{{ identifier.type }}' as identifier_type,
        {{ identifier.column }} as identifier_value,
        '{{ identifier.rule }}' as link_rule,
        '{{ identifier.strength | default("strong") }}' as link_strength
    from {{ relation }}
    where {{ identifier.column }} is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
