{#- A breadth-first spanning tree of each component, from its root: every other node
    gets the parent through which it was first reached (the smallest such parent) and
    its depth. roots: relation with node_id (one root per component); edges: src_id,
    dst_id (undirected, once each). Returns node_id, parent_id (null for roots), depth. -#}
{% macro spanning_tree(roots, edges) -%}
    {{ return(adapter.dispatch('spanning_tree', 'personagraph')(
        roots, edges, var('identity__max_iterations', 1000)
    )) }}
{%- endmacro %}

{% macro default__spanning_tree(roots, edges, max_iterations) -%}
    {{ exceptions.raise_compiler_error(
        "spanning_tree is not implemented for adapter '" ~ adapter.type() ~ "'"
    ) }}
{%- endmacro %}

{% macro duckdb__spanning_tree(roots, edges, max_iterations) -%}
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

tree (node_id, parent_id, depth) using key (node_id) as (
    select
        node_id,
        cast(null as bigint) as parent_id,
        0 as depth
    from {{ roots }}

    union

    select
        reached.node_id,
        reached.parent_id,
        reached.depth
    from (
        select
            undirected_edges.neighbour_id as node_id,
            min(tree.node_id) as parent_id,
            max(tree.depth) + 1 as depth
        from tree
        inner join undirected_edges
            on tree.node_id = undirected_edges.node_id
        group by undirected_edges.neighbour_id
    ) as reached
    left join recurring.tree as visited
        on reached.node_id = visited.node_id
    where
        visited.node_id is null
        and reached.depth <= {{ max_iterations }}
)

select
    node_id,
    parent_id,
    depth
from tree
{%- endmacro %}
