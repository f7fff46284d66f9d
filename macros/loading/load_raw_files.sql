{#-
    Loads every raw file of the contract into the `raw` schema before models run
    (an on-run-start hook), so that staging models read plain `source()` relations.

    For every source declared in a `_<source>__sources.yml` with schema `raw`:
    - `<table>.csv` (RFC 4180, header row) or `<table>.parquet` in `var('raw__dir')`
      is read with every column as text; columns may come in any order, extra columns
      are ignored, a missing column reads as null, and the build log says so;
    - a missing file reads as an empty table (logged);
    - a file without the table's record id column stops the build with an error that
      names the file and the column;
    - CSV lines the parser cannot use (wrong number of fields, invalid encoding, an
      over-long line) are kept in `raw._csv_rejects` with the line number and reason,
      so the quarantine models can account for them;
    - `raw._load_log` says what was read from where.
-#}
{% macro load_raw_files() -%}
    {%- if execute and flags.WHICH in ('run', 'build') and not var('raw__skip_load', false) -%}
        {%- do adapter.dispatch('load_raw_files', 'personagraph')() -%}
    {%- endif -%}
    select 1 as raw_files_loaded
{%- endmacro %}


{% macro default__load_raw_files() -%}
    {{ exceptions.raise_compiler_error(
        "personagraph: loading raw files is not implemented for the adapter '"
        ~ adapter.type() ~ "'"
    ) }}
{%- endmacro %}


{% macro raw_source_nodes() -%}
    {#- The contract's raw tables: sources of this project that live in schema raw. -#}
    {%- set nodes = [] -%}
    {%- for node in graph.sources.values() | sort(attribute='unique_id') -%}
        {%- if node.package_name == project_name and node.schema == 'raw' and not node.name.startswith('_') -%}
            {%- do nodes.append(node) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(nodes) }}
{%- endmacro %}


{% macro raw_record_id_columns(node) -%}
    {%- set meta = node.meta or {} -%}
    {%- if not meta.get('record_id') and node.config is mapping -%}
        {%- set meta = node.config.get('meta') or {} -%}
    {%- endif -%}
    {%- set record_id = meta.get('record_id') or [] -%}
    {%- if record_id is string -%}
        {%- set record_id = [record_id] -%}
    {%- endif -%}
    {{ return(record_id) }}
{%- endmacro %}


{% macro sql_string(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}


{% macro duckdb__load_raw_files() -%}
    {%- set raw_dir = var('raw__dir') | string -%}
    {%- do run_query('create schema if not exists raw') -%}
    {%- do run_query(
        'create or replace table raw._csv_rejects ('
        ~ 'table_name varchar, line_number bigint, error_type varchar,'
        ~ ' error_message varchar, csv_line varchar)'
    ) -%}
    {%- do run_query(
        'create or replace table raw._load_log ('
        ~ 'table_name varchar, file_path varchar, file_format varchar, status varchar,'
        ~ ' rows_loaded bigint, lines_rejected bigint, missing_columns varchar,'
        ~ ' extra_columns varchar)'
    ) -%}
    {%- for node in personagraph.raw_source_nodes() -%}
        {%- do personagraph.duckdb__load_raw_table(node, raw_dir) -%}
    {%- endfor -%}
{%- endmacro %}


{% macro duckdb__raw_file_exists(path) -%}
    {%- set result = run_query('select count(*) from glob(' ~ personagraph.sql_string(path) ~ ')') -%}
    {{ return(result.columns[0].values()[0] > 0) }}
{%- endmacro %}


{% macro duckdb__raw_csv_header(path) -%}
    {#- The header line, split on commas; quotes, whitespace and a byte order mark removed. -#}
    {%- set result = run_query(
        'select line from read_csv(' ~ personagraph.sql_string(path)
        ~ ", header = false, delim = '\x01', quote = '', escape = '', auto_detect = false,"
        ~ " strict_mode = false, columns = {'line': 'VARCHAR'}) limit 1"
    ) -%}
    {%- set lines = result.columns[0].values() -%}
    {%- if lines | length == 0 or lines[0] is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set names = [] -%}
    {%- for part in lines[0].split(',') -%}
        {%- do names.append(part.replace('\ufeff', '').strip().strip('"').strip()) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}


{% macro duckdb__load_raw_table(node, raw_dir) -%}
    {%- set table = node.identifier -%}
    {%- set declared = node.columns.keys() | list -%}
    {%- set record_id = personagraph.raw_record_id_columns(node) -%}
    {%- set csv_path = raw_dir ~ '/' ~ table ~ '.csv' -%}
    {%- set parquet_path = raw_dir ~ '/' ~ table ~ '.parquet' -%}
    {%- set target_relation = 'raw.' ~ adapter.quote(table) -%}
    {%- set file_path = none -%}
    {%- set file_format = none -%}
    {%- set found = none -%}
    {%- if personagraph.duckdb__raw_file_exists(csv_path) -%}
        {%- set file_path = csv_path -%}
        {%- set file_format = 'csv' -%}
        {%- set found = personagraph.duckdb__raw_csv_header(csv_path) -%}
    {%- elif personagraph.duckdb__raw_file_exists(parquet_path) -%}
        {%- set file_path = parquet_path -%}
        {%- set file_format = 'parquet' -%}
        {%- set described = run_query(
            'describe select * from read_parquet(' ~ personagraph.sql_string(parquet_path) ~ ')'
        ) -%}
        {%- set found = described.columns[0].values() | list -%}
    {%- endif -%}

    {%- if file_path is none or found is none -%}
        {%- set status = 'missing' if file_path is none else 'empty_file' -%}
        {{ log('personagraph: raw table ' ~ table ~ ': '
            ~ ('no ' ~ table ~ '.csv or ' ~ table ~ '.parquet in ' ~ raw_dir if file_path is none
               else file_path ~ ' is empty')
            ~ '; read as empty', info=true) }}
        {%- set select_list = [] -%}
        {%- for column in declared -%}
            {%- do select_list.append('cast(null as varchar) as ' ~ adapter.quote(column)) -%}
        {%- endfor -%}
        {%- do run_query(
            'create or replace table ' ~ target_relation ~ ' as select cast(null as bigint) as _raw_row_number, '
            ~ select_list | join(', ') ~ ' where false'
        ) -%}
        {%- do run_query(
            'insert into raw._load_log values (' ~ personagraph.sql_string(table) ~ ', '
            ~ (personagraph.sql_string(file_path) if file_path else 'null') ~ ', '
            ~ (personagraph.sql_string(file_format) if file_format else 'null') ~ ', '
            ~ personagraph.sql_string(status) ~ ', 0, 0, null, null)'
        ) -%}
        {{ return(none) }}
    {%- endif -%}

    {#- Match the file's columns to the declared ones, case-insensitively. -#}
    {%- set by_name = {} -%}
    {%- for name in found -%}
        {%- set key = name | lower -%}
        {%- if key in by_name -%}
            {{ exceptions.raise_compiler_error(
                'personagraph: raw file ' ~ file_path ~ ': column "' ~ name
                ~ '" appears twice in the header (rule: unique_column_names)'
            ) }}
        {%- endif -%}
        {%- do by_name.update({key: name}) -%}
    {%- endfor -%}
    {%- set missing = [] -%}
    {%- for column in declared if column not in by_name -%}
        {%- do missing.append(column) -%}
    {%- endfor -%}
    {%- set extra = [] -%}
    {%- for name in found if (name | lower) not in declared -%}
        {%- do extra.append(name) -%}
    {%- endfor -%}
    {%- for column in record_id if column in missing -%}
        {{ exceptions.raise_compiler_error(
            'personagraph: raw file ' ~ file_path ~ ': the record id column "' ~ column
            ~ '" is missing (rule: record_id_column_present). Columns found: '
            ~ found | join(', ')
            ~ '. Is the file comma separated with a header row?'
        ) }}
    {%- endfor -%}
    {%- if missing -%}
        {{ log('personagraph: raw table ' ~ table ~ ': columns missing from ' ~ file_path
            ~ ', read as null: ' ~ missing | join(', '), info=true) }}
    {%- endif -%}
    {%- if extra -%}
        {{ log('personagraph: raw table ' ~ table ~ ': extra columns in ' ~ file_path
            ~ ' ignored: ' ~ extra | join(', '), info=true) }}
    {%- endif -%}

    {%- set select_list = [] -%}
    {%- for column in declared -%}
        {%- if column in by_name -%}
            {%- do select_list.append(
                'cast(' ~ adapter.quote(by_name[column]) ~ ' as varchar) as ' ~ adapter.quote(column)
            ) -%}
        {%- else -%}
            {%- do select_list.append('cast(null as varchar) as ' ~ adapter.quote(column)) -%}
        {%- endif -%}
    {%- endfor -%}

    {%- if file_format == 'csv' -%}
        {%- set column_types = [] -%}
        {%- for name in found -%}
            {%- do column_types.append(personagraph.sql_string(name) ~ ": 'VARCHAR'") -%}
        {%- endfor -%}
        {%- set rejects = 'personagraph_rejects_' ~ table -%}
        {%- set reader = 'read_csv(' ~ personagraph.sql_string(file_path)
            ~ ", header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"',"
            ~ ' columns = {' ~ column_types | join(', ') ~ '},'
            ~ ' store_rejects = true, rejects_table = ' ~ personagraph.sql_string(rejects)
            ~ ', rejects_scan = ' ~ personagraph.sql_string(rejects ~ '_scan')
            ~ ', max_line_size = 4194304)' -%}
    {%- else -%}
        {%- set reader = 'read_parquet(' ~ personagraph.sql_string(file_path) ~ ')' -%}
    {%- endif -%}

    {%- do run_query(
        'create or replace table ' ~ target_relation ~ ' as select'
        ~ ' row_number() over () as _raw_row_number, ' ~ select_list | join(', ')
        ~ ' from ' ~ reader
    ) -%}

    {%- if file_format == 'csv' -%}
        {%- do run_query(
            'insert into raw._csv_rejects select ' ~ personagraph.sql_string(table) ~ ', line,'
            ~ ' min(cast(error_type as varchar)), min(error_message), min(csv_line)'
            ~ ' from ' ~ rejects ~ ' group by line order by line'
        ) -%}
        {%- do run_query('drop table if exists ' ~ rejects) -%}
        {%- do run_query('drop table if exists ' ~ rejects ~ '_scan') -%}
    {%- endif -%}

    {%- set counts = run_query(
        'select (select count(*) from ' ~ target_relation ~ '),'
        ~ ' (select count(*) from raw._csv_rejects where table_name = ' ~ personagraph.sql_string(table) ~ ')'
    ) -%}
    {%- set rows_loaded = counts.columns[0].values()[0] -%}
    {%- set lines_rejected = counts.columns[1].values()[0] -%}
    {%- do run_query(
        'insert into raw._load_log values (' ~ personagraph.sql_string(table) ~ ', '
        ~ personagraph.sql_string(file_path) ~ ', ' ~ personagraph.sql_string(file_format)
        ~ ", 'loaded', " ~ rows_loaded ~ ', ' ~ lines_rejected ~ ', '
        ~ (personagraph.sql_string(missing | join(',')) if missing else 'null') ~ ', '
        ~ (personagraph.sql_string(extra | join(',')) if extra else 'null') ~ ')'
    ) -%}
    {{ log('personagraph: raw table ' ~ table ~ ': ' ~ rows_loaded ~ ' rows read from '
        ~ file_path ~ (', ' ~ lines_rejected ~ ' unusable lines kept for quarantine' if lines_rejected else ''),
        info=true) }}
{%- endmacro %}
