{#- Identifier occurrences read from one staged relation, one row per record and non-null
    identifier. identifiers: list of dicts {column, type, rule, strength}.
    The relation is read once: each row is paired with a small list of identifier slots
    and the slot picks its column (reading a staged view once per identifier column
    costs as many scans, and a stg_ view is a join). -#}
{% macro identifier_occurrences(relation, source_table, record_id, seen_at, identifiers) -%}
    {%- set picked -%}
        case identifier_slots.slot_number
            {%- for identifier in identifiers %}
            when {{ loop.index }} then {{ relation }}.{{ identifier.column }}
            {%- endfor %}
        end
    {%- endset -%}
    select
        '{{ source_table }}' as source_table,
        {{ relation }}.{{ record_id }} as source_record_id,
        {{ seen_at }} as seen_at,
        identifier_slots.identifier_type,
        {{ picked }} as identifier_value,
        identifier_slots.link_rule,
        identifier_slots.link_strength
    from {{ relation }}
    cross join (
        values
        {%- for identifier in identifiers %}
            ({{ loop.index }}, '{{ identifier.type }}', '{{ identifier.rule }}',
            '{{ identifier.strength | default("strong") }}'){{ ',' if not loop.last }}
        {%- endfor %}
    ) as identifier_slots (slot_number, identifier_type, link_rule, link_strength)
    where {{ picked }} is not null
{%- endmacro %}
