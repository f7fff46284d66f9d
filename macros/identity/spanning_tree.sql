{#- A breadth-first spanning tree of each component, from its root: every other node
    gets the parent through which it was first reached (the smallest such parent) and
    its depth. roots: relation with node_id (one root per component); edges: src_id,
    dst_id (undirected, once each). Returns node_id, parent_id (null for roots), depth. -#}
{#- DuckDB could walk it in one recursive CTE (recursive_spanning_tree below), but its
    plan rebuilds the edge hash table every round (102 s for 1,000,000 people against a
    few seconds for the rounds of plain statements), so every engine uses the default. -#}
{% macro spanning_tree(roots, edges) -%}
    {{ return(adapter.dispatch('spanning_tree', 'personagraph')(
        roots, edges, var('identity__max_iterations', 1000)
    )) }}
{%- endmacro %}

{#- Portable default, also used on DuckDB: breadth-first rounds of plain statements over
    work tables. Each round joins only the newest frontier to the edges, so the cost is
    one pass over the edges in all, whatever the depth. -#}
{% macro default__spanning_tree(roots, edges, max_iterations) -%}
    {%- set work = this.schema ~ '.' ~ this.identifier ~ '__bfs' -%}
    {%- if execute -%}
        {%- do run_query('drop table if exists ' ~ work ~ '_edges') -%}
        {%- do run_query(
            'create table ' ~ work ~ '_edges as'
            ~ ' select src_id as node_id, dst_id as neighbour_id from ' ~ edges
            ~ ' union all select dst_id as node_id, src_id as neighbour_id from ' ~ edges
        ) -%}
        {%- do run_query('drop table if exists ' ~ work ~ '_tree') -%}
        {%- do run_query(
            'create table ' ~ work ~ '_tree as select node_id, cast(null as bigint) as parent_id,'
            ~ ' 0 as depth from ' ~ roots
        ) -%}
        {%- set state = namespace(done=false) -%}
        {%- for depth in range(1, max_iterations + 1) if not state.done -%}
            {%- do run_query('drop table if exists ' ~ work ~ '_frontier') -%}
            {%- do run_query(
                'create table ' ~ work ~ '_frontier as'
                ~ ' select work_edges.neighbour_id as node_id, min(work_edges.node_id) as parent_id,'
                ~ ' ' ~ depth ~ ' as depth'
                ~ ' from ' ~ work ~ '_tree as reached'
                ~ ' inner join ' ~ work ~ '_edges as work_edges on reached.node_id = work_edges.node_id'
                ~ ' left join ' ~ work ~ '_tree as visited on work_edges.neighbour_id = visited.node_id'
                ~ ' where reached.depth = ' ~ (depth - 1) ~ ' and visited.node_id is null'
                ~ ' group by work_edges.neighbour_id'
            ) -%}
            {%- set added = run_query('select count(*) from ' ~ work ~ '_frontier').columns[0].values()[0] -%}
            {%- if added == 0 -%}
                {%- set state.done = true -%}
            {%- else -%}
                {%- do run_query('insert into ' ~ work ~ '_tree select * from ' ~ work ~ '_frontier') -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if not state.done -%}
            {{ exceptions.raise_compiler_error(
                'spanning_tree: deeper than ' ~ max_iterations ~ ' (var identity__max_iterations)'
            ) }}
        {%- endif -%}
    {%- endif -%}
    select
        node_id,
        parent_id,
        depth
    from {{ work }}_tree
{%- endmacro %}

{% macro recursive_spanning_tree(roots, edges, max_iterations) -%}
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
