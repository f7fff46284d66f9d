{#- Connected components have converged when both ends of every edge carry the same
    component label; a reached iteration cap would leave some edge split. -#}
{% test components_converged(model, edges) %}

select
    edges.src_id,
    edges.dst_id,
    source_labels.component_id as src_component_id,
    destination_labels.component_id as dst_component_id
from {{ edges }} as edges
left join {{ model }} as source_labels
    on edges.src_id = source_labels.node_id
left join {{ model }} as destination_labels
    on edges.dst_id = destination_labels.node_id
where
    source_labels.component_id is null
    or destination_labels.component_id is null
    or source_labels.component_id != destination_labels.component_id

{% endtest %}
