{#- For groups of stitching nodes (group_columns + node_id in `relation`), how many
    distinct account ids of each type the first-pass components of those nodes hold
    together, and the first-pass components joined. Rows only for account types. -#}
{% macro accounts_joined(relation, group_columns) -%}
    select
        {{ group_columns | join(', ') }},
        nodes.identifier_type,
        count(distinct nodes.identifier_value) as distinct_accounts,
        count(distinct account_components.component_id) as components_joined,
        {{ personagraph.hub_limit('nodes.identifier_type') }} as person_limit
    from (
        select distinct
            {{ group_columns | join(', ') }},
            member_components.component_id
        from {{ relation }} as grouped
        inner join {{ ref('int_identity_account_components') }} as member_components
            on grouped.node_id = member_components.node_id
    ) as group_components
    inner join {{ ref('int_identity_account_components') }} as account_components
        on group_components.component_id = account_components.component_id
    inner join {{ ref('int_identity_nodes') }} as nodes
        on account_components.node_id = nodes.node_id
    where nodes.identifier_type in {{ personagraph.sql_list(var('identity__account_types')) }}
    group by {{ group_columns | join(', ') }}, nodes.identifier_type
{%- endmacro %}
