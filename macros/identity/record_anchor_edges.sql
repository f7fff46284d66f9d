{#- Edges from records: each record links each of its identifiers to its anchor (the
    identifier with the lowest type priority, then the lowest value), n-1 edges per
    record, never all pairs. relation: one row per record and identifier with
    source_table, source_record_id, node_id, identifier_value, type_priority and
    link_rule, first_seen_at, last_seen_at. Returns one row per record and edge with
    src_id < dst_id. -#}
{% macro record_anchor_edges(relation) -%}
    select
        members.source_table,
        members.source_record_id,
        members.link_rule,
        members.first_seen_at,
        members.last_seen_at,
        least(anchors.node_id, members.node_id) as src_id,
        greatest(anchors.node_id, members.node_id) as dst_id
    from {{ relation }} as members
    inner join (
        {#- One anchor per record by aggregation: a row_number window over the
            records took 11.4 of the 12.7 s of int_identity_edges at 1,000,000 people. #}
        select
            source_table,
            source_record_id,
            {{ personagraph.value_of_least('node_id', ['type_priority', 'identifier_value', 'node_id']) }}
                as node_id
        from {{ relation }}
        group by source_table, source_record_id
    ) as anchors
        on
            members.source_table = anchors.source_table
            and members.source_record_id = anchors.source_record_id
    where members.node_id != anchors.node_id
{%- endmacro %}
