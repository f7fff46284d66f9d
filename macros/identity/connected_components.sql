{#- Connected components of an undirected graph by minimum-label propagation.
    nodes: a relation with node_id (BIGINT); edges: a relation with src_id, dst_id
    (each undirected edge once). Returns node_id, component_id (the smallest node_id
    in the component) and iteration (the round in which the node's label settled).
    Rounds stop at var identity__max_iterations; a data test proves convergence
    (every edge has equal labels at both ends), so a reached cap fails the build
    instead of silently splitting a person. -#}
{% macro connected_components(nodes, edges) -%}
    {%- if var('identity__stitching_method', 'recursive') == 'iterative' -%}
        {{ return(personagraph.default__connected_components(nodes, edges, var('identity__max_iterations', 1000))) }}
    {%- endif -%}
    {{ return(adapter.dispatch('connected_components', 'personagraph')(
        nodes, edges, var('identity__max_iterations', 1000)
    )) }}
{%- endmacro %}

{#- Portable default: the same minimum-label propagation, driven from Jinja as rounds of
    plain SQL statements over work tables (no recursive CTE), each round followed by
    pointer jumping (a node takes its label's label), so a chain of n hops settles in
    about log2(n) rounds. Stops at the first round that changes nothing; reaching
    max_iterations fails the build. Used by engines whose recursive CTEs cannot
    aggregate (Spark) and on DuckDB with var identity__stitching_method: iterative. -#}
{% macro default__connected_components(nodes, edges, max_iterations) -%}
    {%- set work = this.schema ~ '.' ~ this.identifier ~ '__cc' -%}
    {%- if execute -%}
        {%- do run_query('drop table if exists ' ~ work ~ '_edges') -%}
        {%- do run_query(
            'create table ' ~ work ~ '_edges as'
            ~ ' select src_id as node_id, dst_id as neighbour_id from ' ~ edges
            ~ ' union all select dst_id as node_id, src_id as neighbour_id from ' ~ edges
        ) -%}
        {%- do run_query('drop table if exists ' ~ work ~ '_labels') -%}
        {%- do run_query(
            'create table ' ~ work ~ '_labels as'
            ~ ' select graph_nodes.node_id,'
            ~ ' least(graph_nodes.node_id, coalesce(min(work_edges.neighbour_id), graph_nodes.node_id)) as label,'
            ~ ' 0 as iteration'
            ~ ' from ' ~ nodes ~ ' as graph_nodes'
            ~ ' left join ' ~ work ~ '_edges as work_edges on graph_nodes.node_id = work_edges.node_id'
            ~ ' group by graph_nodes.node_id'
        ) -%}
        {%- set state = namespace(done=false, rounds=0) -%}
        {%- for round in range(1, max_iterations + 1) if not state.done -%}
            {%- do run_query('drop table if exists ' ~ work ~ '_next') -%}
            {#- One hop of minimum labels, then a pointer jump. -#}
            {%- do run_query(
                'create table ' ~ work ~ '_next as'
                ~ ' with hop as ('
                ~ ' select current_labels.node_id,'
                ~ ' least(current_labels.label, coalesce(min(neighbour_labels.label), current_labels.label)) as label,'
                ~ ' current_labels.iteration'
                ~ ' from ' ~ work ~ '_labels as current_labels'
                ~ ' left join ' ~ work ~ '_edges as work_edges on current_labels.node_id = work_edges.node_id'
                ~ ' left join ' ~ work ~ '_labels as neighbour_labels'
                ~ ' on work_edges.neighbour_id = neighbour_labels.node_id'
                ~ ' group by current_labels.node_id, current_labels.label, current_labels.iteration)'
                ~ ' select hop.node_id, least(hop.label, coalesce(jumped.label, hop.label)) as label,'
                ~ ' hop.iteration'
                ~ ' from hop left join hop as jumped on hop.label = jumped.node_id'
            ) -%}
            {%- set changed = run_query(
                'select count(*) from ' ~ work ~ '_next as next_labels'
                ~ ' inner join ' ~ work ~ '_labels as current_labels'
                ~ ' on next_labels.node_id = current_labels.node_id'
                ~ ' where next_labels.label != current_labels.label'
            ).columns[0].values()[0] -%}
            {%- do run_query('drop table if exists ' ~ work ~ '_labels') -%}
            {%- do run_query('create table ' ~ work ~ '_labels as select * from ' ~ work ~ '_next') -%}
            {%- set state.rounds = round -%}
            {%- if changed == 0 -%}
                {%- set state.done = true -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if not state.done -%}
            {{ exceptions.raise_compiler_error(
                'connected_components: no fixed point after ' ~ max_iterations
                ~ ' rounds (var identity__max_iterations); refusing to split people silently'
            ) }}
        {%- endif -%}
        {{ log('personagraph: connected components settled after ' ~ state.rounds ~ ' rounds', info=true) }}
    {%- endif -%}
    select
        node_id,
        label as component_id,
        {{ state.rounds if execute else 0 }} as iteration
    from {{ work }}_labels
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
