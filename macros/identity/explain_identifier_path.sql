{#- A query walking marts.identity_explanations from one identifier up to its person's
    anchor: one row per step, nearest first. For analyses, e.g.
    {{ personagraph.explain_identifier_path('email', 'jane@example.com') }} -#}
{% macro explain_identifier_path(identifier_type, identifier_value) -%}
with recursive path as (
    select
        0 as step,
        person_id,
        identifier_type,
        identifier_value,
        depth,
        parent_identifier_type,
        parent_identifier_value,
        edge_rule,
        edge_strength,
        evidence_record
    from {{ ref('identity_explanations') }}
    where
        identifier_type = '{{ identifier_type }}'
        and identifier_value = '{{ identifier_value | replace("'", "''") }}'

    union all

    select
        path.step + 1 as step,
        parent.person_id,
        parent.identifier_type,
        parent.identifier_value,
        parent.depth,
        parent.parent_identifier_type,
        parent.parent_identifier_value,
        parent.edge_rule,
        parent.edge_strength,
        parent.evidence_record
    from path
    inner join {{ ref('identity_explanations') }} as parent
        on
            path.parent_identifier_type = parent.identifier_type
            and path.parent_identifier_value = parent.identifier_value
            and path.person_id = parent.person_id
)

select * from path
order by step
{%- endmacro %}
