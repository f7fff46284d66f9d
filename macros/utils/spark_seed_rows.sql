{#- Spark: seed rows are read from the seed's CSV file by Spark itself, not inlined from
    dbt's agate table as dbt-spark does: agate reads the text 'null' as a null (the
    blocklist's 'null' placeholder would vanish) and Spark's string literals drop the
    backslashes of regular expressions ('test\.com'). Values are kept as written, an
    empty field is null, as DuckDB's seed loader reads them. -#}
{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set path = model['root_path'] ~ '/' ~ model['original_file_path'] -%}
    {%- set schema = [] -%}
    {%- set select_list = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
        {%- set type = column_override.get(column_name, inferred_type) -%}
        {%- do schema.append(adapter.quote(column_name) ~ ' string') -%}
        {%- do select_list.append('cast(' ~ adapter.quote(column_name) ~ ' as ' ~ type ~ ')') -%}
    {%- endfor -%}
    {%- set view = 'personagraph_seed_' ~ model['name'] -%}
    {%- do run_query(
        'create or replace temporary view ' ~ view ~ ' (' ~ schema | join(', ') ~ ') using csv options (path '
        ~ personagraph.sql_string(path) ~ ", header 'true', escape '\"', multiLine 'true', mode 'FAILFAST')"
    ) -%}
    {%- set sql = 'insert into ' ~ this.render() ~ ' select ' ~ select_list | join(', ') ~ ' from ' ~ view -%}
    {%- do run_query(sql) -%}
    {{ return(sql) }}
{%- endmacro %}
