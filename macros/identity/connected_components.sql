{#- Connected components of an undirected graph by minimum-label propagation.
    nodes: a relation with node_id (BIGINT); edges: a relation with src_id, dst_id
    (each undirected edge once). Returns node_id, component_id (the smallest node_id
    in the component) and iteration (the round in which the node's label settled).
    Rounds stop at var identity__max_iterations; a data test proves convergence
    (every edge has equal labels at both ends), so a reached cap fails the build
    instead of silently splitting a person. -#}
{% macro connected_components(nodes, edges) -%}
    {{ return(adapter.dispatch('connected_components', 'personagraph')(
        nodes, edges, var('identity__max_iterations', 1000)
    )) }}
{%- endmacro %}

{% macro default__connected_components(nodes, edges, max_iterations) -%}
    {{ exceptions.raise_compiler_error(
        "connected_components is not implemented for adapter '" ~ adapter.type() ~ "'"
    ) }}
{%- endmacro %}

{#- DuckDB: one recursive CTE with USING KEY, so the working table holds only the
    nodes whose label changed in the last round and memory stays linear in the graph
    (the classic reachability CTE grows with the square of a component's size). -#}
{% macro duckdb__connected_components(nodes, edges, max_iterations) -%}
with recursive

undirected_edges as (
    select
        src_id as node_id,
        dst_id as neighbour_id
    from {{ edges }}
    union all
    select
        dst_id as node_id,
        src_id as neighbour_id
    from {{ edges }}
),

initial_labels as (
    select
        graph_nodes.node_id,
        least(graph_nodes.node_id, coalesce(min(undirected_edges.neighbour_id), graph_nodes.node_id)) as label
    from {{ nodes }} as graph_nodes
    left join undirected_edges
        on graph_nodes.node_id = undirected_edges.node_id
    group by graph_nodes.node_id
),

labels (node_id, label, iteration) using key (node_id) as (
    select
        node_id,
        label,
        0 as iteration
    from initial_labels

    union

    select
        proposals.node_id,
        proposals.label,
        proposals.iteration
    from (
        select
            undirected_edges.neighbour_id as node_id,
            min(labels.label) as label,
            max(labels.iteration) + 1 as iteration
        from labels
        inner join undirected_edges
            on labels.node_id = undirected_edges.node_id
        group by undirected_edges.neighbour_id
    ) as proposals
    inner join recurring.labels as current_labels
        on proposals.node_id = current_labels.node_id
    where
        proposals.label < current_labels.label
        and proposals.iteration <= {{ max_iterations }}
)

select
    node_id,
    label as component_id,
    iteration
from labels
{%- endmacro %}
