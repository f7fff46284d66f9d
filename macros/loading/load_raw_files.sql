{#-
    Loads every raw file of the contract into the `raw` schema before models run
    (an on-run-start hook), so that staging models read plain `source()` relations.

    For every source declared in a `_<source>__sources.yml` with schema `raw`:
    - `<table>.csv` (RFC 4180, header row) or `<table>.parquet` in `var('raw__dir')`
      is read with every column as text; columns may come in any order, extra columns
      are ignored, a missing column reads as null, and the build log says so;
    - a missing file, an empty file or one holding only blank lines reads as an empty
      table (logged);
    - files that cannot be read as the contract says stop the build with an error that
      names the file, the column where there is one, and the rule broken:
      `exact_file_name` (SHOP_ORDERS.csv for shop_orders.csv), `one_file_per_table`
      (both a .csv and a .parquet), `utf8_encoding` (a UTF-16 file),
      `header_row_present` (no column of the table in the first line),
      `comma_separated` (a header of one column holding ';', tabs or '|'),
      `record_id_column_present` (no record id column), `unique_column_names`,
      `readable_parquet` (not a Parquet file);
    - on DuckDB, only the tables that the run's selected nodes read are loaded (all of
      them for an unselective `dbt build`); the others, their rejected lines and their
      load log rows stay as the last run that loaded them left them, so
      `dbt build --select +int_identity_components` does not read the consent or order
      line files (raw_tables_to_load);
    - CSV lines the parser cannot use (wrong number of fields, invalid encoding, an
      unterminated quote, an over-long line) are kept in `raw._csv_rejects` with the
      line number and reason, so the quarantine models can account for them;
    - `raw._load_log` says what was read from where.
    Error messages and log lines name files and columns, never values: a first line
    that is not a header may hold personal data.
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


{% macro raw_tables_to_load(nodes) -%}
    {#- The raw source nodes that the run's selected nodes read directly (models, data
        tests and snapshots; unit tests mock their inputs). Every node when dbt does not
        say what is selected. -#}
    {%- if selected_resources is not defined or selected_resources is none -%}
        {{ return(nodes) }}
    {%- endif -%}
    {%- set wanted = [] -%}
    {%- for unique_id in selected_resources -%}
        {%- set selected = graph.nodes.get(unique_id) -%}
        {%- if selected -%}
            {%- for dependency in selected.depends_on.nodes if dependency.startswith('source.') -%}
                {%- do wanted.append(dependency) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set chosen = [] -%}
    {%- for node in nodes if node.unique_id in wanted -%}
        {%- do chosen.append(node) -%}
    {%- endfor -%}
    {{ return(chosen) }}
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


{% macro raw_file_error(path, message, rule) -%}
    {#- Stops the build with one line naming the file, what is wrong and the rule. -#}
    {{ exceptions.raise_compiler_error(
        'personagraph: raw file ' ~ path ~ ': ' ~ message ~ ' (rule: ' ~ rule ~ ')'
    ) }}
{%- endmacro %}


{% macro check_raw_file_names(nodes, file_names, raw_dir) -%}
    {#- Tables are matched by exact file name. A file that differs from one only in case
        (SHOP_ORDERS.csv, shop_orders.CSV) or a table with both a CSV and a Parquet
        file would be silently ignored, so either stops the build; any other file is
        named in the log as ignored. -#}
    {%- set expected = {} -%}
    {%- for node in nodes -%}
        {%- do expected.update({node.identifier ~ '.csv': node.identifier, node.identifier ~ '.parquet': node.identifier}) -%}
    {%- endfor -%}
    {%- set ignored = [] -%}
    {%- for name in file_names if name not in expected and not name.startswith('.') -%}
        {%- if (name | lower) in expected -%}
            {%- set wanted = expected[name | lower] ~ '.' ~ (name | lower).split('.')[-1] -%}
            {%- do personagraph.raw_file_error(
                raw_dir ~ '/' ~ name,
                'tables are matched by exact file name, and this name differs from ' ~ wanted
                ~ ' only in case; rename it to ' ~ wanted,
                'exact_file_name'
            ) -%}
        {%- endif -%}
        {%- do ignored.append(name) -%}
    {%- endfor -%}
    {%- for node in nodes -%}
        {%- if node.identifier ~ '.csv' in file_names and node.identifier ~ '.parquet' in file_names -%}
            {%- do personagraph.raw_file_error(
                raw_dir ~ '/' ~ node.identifier ~ '.csv',
                'there is also ' ~ raw_dir ~ '/' ~ node.identifier ~ '.parquet; one table is read from'
                ~ ' one file, so keep one of them',
                'one_file_per_table'
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if ignored -%}
        {{ log('personagraph: files in ' ~ raw_dir ~ ' that are no raw table of the contract, ignored: '
            ~ ignored | join(', '), info=true) }}
    {%- endif -%}
{%- endmacro %}


{#- Drop raw.<table> whether an earlier build left it as a table or a view. -#}
{% macro duckdb__drop_raw_relation(table) -%}
    {%- set found = run_query(
        "select table_type from information_schema.tables where table_schema = 'raw' and table_name = "
        ~ personagraph.sql_string(table)
    ).columns[0].values() -%}
    {%- if found and found[0] == 'VIEW' -%}
        {%- do run_query('drop view raw.' ~ adapter.quote(table)) -%}
    {%- elif found -%}
        {%- do run_query('drop table raw.' ~ adapter.quote(table)) -%}
    {%- endif -%}
{%- endmacro %}


{% macro duckdb__load_raw_files() -%}
    {%- set raw_dir = var('raw__dir') | string -%}
    {%- do run_query('create schema if not exists raw') -%}
    {%- do run_query(
        'create table if not exists raw._csv_rejects ('
        ~ 'table_name varchar, line_number bigint, error_type varchar,'
        ~ ' error_message varchar, csv_line varchar)'
    ) -%}
    {%- do run_query(
        'create table if not exists raw._load_log ('
        ~ 'table_name varchar, file_path varchar, file_format varchar, status varchar,'
        ~ ' rows_loaded bigint, lines_rejected bigint, missing_columns varchar,'
        ~ ' extra_columns varchar)'
    ) -%}
    {%- set nodes = personagraph.raw_source_nodes() -%}
    {%- set file_names = personagraph.duckdb__raw_dir_file_names(raw_dir) -%}
    {%- do personagraph.check_raw_file_names(nodes, file_names, raw_dir) -%}
    {%- set to_load = personagraph.raw_tables_to_load(nodes) -%}
    {%- if to_load | length < nodes | length -%}
        {%- set skipped = [] -%}
        {%- for node in nodes if node not in to_load -%}
            {%- do skipped.append(node.identifier) -%}
        {%- endfor -%}
        {{ log('personagraph: raw tables that no selected model reads, not loaded: '
            ~ skipped | join(', '), info=true) }}
    {%- endif -%}
    {%- for node in to_load -%}
        {%- set table = personagraph.sql_string(node.identifier) -%}
        {%- do run_query('delete from raw._csv_rejects where table_name = ' ~ table) -%}
        {%- do run_query('delete from raw._load_log where table_name = ' ~ table) -%}
        {%- do personagraph.duckdb__load_raw_table(node, raw_dir, file_names) -%}
    {%- endfor -%}
{%- endmacro %}


{% macro duckdb__raw_dir_file_names(raw_dir) -%}
    {#- Names (not paths) of the files in the raw folder. -#}
    {%- set result = run_query('select file from glob(' ~ personagraph.sql_string(raw_dir ~ '/*') ~ ')') -%}
    {%- set names = [] -%}
    {%- for path in result.columns[0].values() -%}
        {%- do names.append(path.replace('\\', '/').split('/')[-1]) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}


{% macro duckdb__raw_file_size(path) -%}
    {#- Bytes in the file (read_blob reads no content when only the size is asked). -#}
    {%- set result = run_query('select size from read_blob(' ~ personagraph.sql_string(path) ~ ')') -%}
    {{ return(result.columns[0].values()[0]) }}
{%- endmacro %}


{% macro raw_file_exact_check_limit() -%}
    {#- Files up to this size are read as bytes when the fast checks are not enough
        (a header that is not UTF-8, a Parquet file's magic bytes). -#}
    {{ return(64 * 1024 * 1024) }}
{%- endmacro %}


{% macro split_csv_header(line) -%}
    {#- The names in a header line: comma separated, RFC 4180 quotes, a byte order mark
        and surrounding whitespace removed. -#}
    {%- set names = [] -%}
    {%- set text = line.replace('\ufeff', '') -%}
    {%- for quoted, plain in modules.re.findall('(?:^|,)\\s*(?:"((?:[^"]|"")*)"|([^,]*))', text) -%}
        {%- do names.append((quoted.replace('""', '"') if quoted else plain).strip()) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}


{% macro duckdb__raw_csv_first_line(path) -%}
    {#- Fast: the first line that is valid UTF-8 (lines that are not are skipped, so this
        is line 1 unless line 1 is not UTF-8), without reading the whole file. -#}
    {%- set result = run_query(
        'select line, coalesce(position(chr(0) in line) > 0, false) as has_nul from read_csv('
        ~ personagraph.sql_string(path)
        ~ ", header = false, delim = '\x01', quote = '', escape = '', auto_detect = false,"
        ~ " strict_mode = false, ignore_errors = true, max_line_size = 4194304,"
        ~ " columns = {'line': 'VARCHAR'}) limit 1"
    ) -%}
    {%- if result.rows | length == 0 -%}
        {{ return({'line': none, 'has_nul': false}) }}
    {%- endif -%}
    {{ return({'line': result.rows[0][0], 'has_nul': result.rows[0][1]}) }}
{%- endmacro %}


{% macro duckdb__raw_file_bytes_summary(path) -%}
    {#- Exact, from the file's bytes: line 1 (decoded as UTF-8, or with '?' for bytes that
        are not UTF-8), whether line 1 is valid UTF-8, whether the file starts with a
        UTF-16 byte order mark or holds NUL bytes, and whether it holds only blank lines. -#}
    {%- set query -%}
        with

        file_bytes as (
            select cast(content as varchar) as escaped_content
            from read_blob({{ personagraph.sql_string(path) }})
        ),

        first_line as (
            select
                escaped_content,
                regexp_replace(
                    regexp_replace(split_part(escaped_content, '\x0A', 1), '^\\xEF\\xBB\\xBF', ''),
                    '\\x0D$', ''
                ) as escaped_line
            from file_bytes
        )

        select
            coalesce(
                try(decode(cast(escaped_line as blob))),
                decode(cast(regexp_replace(escaped_line, '\\x[89A-F][0-9A-F]', '?', 'g') as blob))
            ) as line,
            try(decode(cast(escaped_line as blob))) is not null as is_utf8,
            starts_with(escaped_content, '\xFF\xFE') or starts_with(escaped_content, '\xFE\xFF')
                or contains(escaped_content, '\x00') as looks_utf16,
            regexp_full_match(escaped_content, '(\\xEF\\xBB\\xBF)?( |\\x09|\\x0A|\\x0D)*') as is_blank
        from first_line
    {%- endset -%}
    {%- set row = run_query(query).rows[0] -%}
    {{ return({'line': row[0], 'is_utf8': row[1], 'looks_utf16': row[2], 'is_blank': row[3]}) }}
{%- endmacro %}


{% macro duckdb__raw_csv_header(path, declared) -%}
    {#- The header's column names, or none when the file holds nothing but blank lines.
        The fast read is checked: when its line has NUL bytes, is blank or names none of
        the table's columns, line 1 is read again from the file's bytes (files up to
        raw_file_exact_check_limit) to tell an empty file, a UTF-16 file, a header that
        is not UTF-8 and a missing header apart. -#}
    {%- set first = personagraph.duckdb__raw_csv_first_line(path) -%}
    {%- set names = personagraph.split_csv_header(first.line) if first.line is not none else [] -%}
    {%- set known = [] -%}
    {%- for name in names if (name | lower) in declared -%}
        {%- do known.append(name) -%}
    {%- endfor -%}
    {%- if known and not first.has_nul -%}
        {{ return({'names': names, 'is_utf8': true}) }}
    {%- endif -%}
    {%- if personagraph.duckdb__raw_file_size(path) > personagraph.raw_file_exact_check_limit() -%}
        {%- if first.has_nul -%}
            {%- do personagraph.raw_file_error(path, 'the file holds NUL bytes; it looks like UTF-16, not UTF-8: save it as UTF-8', 'utf8_encoding') -%}
        {%- endif -%}
        {{ return({'names': names, 'is_utf8': true}) }}
    {%- endif -%}
    {%- set exact = personagraph.duckdb__raw_file_bytes_summary(path) -%}
    {%- if exact.looks_utf16 -%}
        {%- do personagraph.raw_file_error(
            path, 'the file is not UTF-8: it starts with a UTF-16 byte order mark or holds NUL bytes;'
            ~ ' save it as UTF-8 (in Excel: "CSV UTF-8")', 'utf8_encoding'
        ) -%}
    {%- endif -%}
    {%- if exact.is_blank -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return({'names': personagraph.split_csv_header(exact.line), 'is_utf8': exact.is_utf8}) }}
{%- endmacro %}


{% macro duckdb__check_parquet_file(path) -%}
    {#- A clear error instead of the engine's when a .parquet file is no Parquet file
        (both ends must hold the magic bytes PAR1; checked up to
        raw_file_exact_check_limit, larger files are left to the reader). -#}
    {%- set size = personagraph.duckdb__raw_file_size(path) -%}
    {%- if size == 0 or size > personagraph.raw_file_exact_check_limit() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set result = run_query(
        "select size >= 12 and content[1:4] = 'PAR1'::blob and content[-4:] = 'PAR1'::blob from read_blob("
        ~ personagraph.sql_string(path) ~ ')'
    ) -%}
    {%- if not result.rows[0][0] -%}
        {%- do personagraph.raw_file_error(
            path, 'the file is not a Parquet file (no PAR1 magic bytes at its start and end);'
            ~ ' a CSV export must be named .csv', 'readable_parquet'
        ) -%}
    {%- endif -%}
{%- endmacro %}


{% macro duckdb__load_raw_table(node, raw_dir, file_names) -%}
    {%- set table = node.identifier -%}
    {%- set declared = node.columns.keys() | list -%}
    {%- set record_id = personagraph.raw_record_id_columns(node) -%}
    {%- set csv_path = raw_dir ~ '/' ~ table ~ '.csv' -%}
    {%- set parquet_path = raw_dir ~ '/' ~ table ~ '.parquet' -%}
    {%- set target_relation = 'raw.' ~ adapter.quote(table) -%}
    {%- set file_path = none -%}
    {%- set file_format = none -%}
    {%- set found = none -%}
    {%- set header_is_utf8 = true -%}
    {%- if table ~ '.csv' in file_names -%}
        {%- set file_path = csv_path -%}
        {%- set file_format = 'csv' -%}
        {%- set header = personagraph.duckdb__raw_csv_header(csv_path, declared) -%}
        {%- if header is not none -%}
            {%- set found = header.names -%}
            {%- set header_is_utf8 = header.is_utf8 -%}
        {%- endif -%}
    {%- elif table ~ '.parquet' in file_names -%}
        {%- set file_path = parquet_path -%}
        {%- set file_format = 'parquet' -%}
        {%- do personagraph.duckdb__check_parquet_file(parquet_path) -%}
        {%- if personagraph.duckdb__raw_file_size(parquet_path) > 0 -%}
            {%- set described = run_query(
                'describe select * from read_parquet(' ~ personagraph.sql_string(parquet_path) ~ ')'
            ) -%}
            {%- set found = described.columns[0].values() | list -%}
        {%- endif -%}
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
        {%- do personagraph.duckdb__drop_raw_relation(table) -%}
        {%- do run_query(
            'create view ' ~ target_relation ~ ' as select cast(null as bigint) as _raw_row_number, '
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

    {%- if not header_is_utf8 -%}
        {{ log('personagraph: raw table ' ~ table ~ ': the header of ' ~ file_path ~ ' is not valid UTF-8;'
            ~ ' bytes that are not UTF-8 are shown as ?, and lines holding such bytes are quarantined'
            ~ ' (csv_invalid_encoding)', info=true) }}
    {%- endif -%}

    {%- set plan = personagraph.raw_column_plan(table, declared, record_id, file_path, file_format, found) -%}
    {%- set by_name = plan.by_name -%}
    {%- set file_columns = plan.file_columns -%}
    {%- set missing = plan.missing -%}
    {%- set extra = plan.extra -%}

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
        {%- for name in file_columns -%}
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

    {#- CSV: the rows go to raw.<table>__rows in file order; raw.<table> is a view that
        numbers them by DuckDB's rowid (insertion order), which is half the cost of
        numbering them with a window while loading. Parquet (var raw__parquet_in_place,
        default true): raw.<table> is a view that reads the file where it is, numbered by
        the row's position in the file. Copying a Parquet file into the database cost more
        than typing it, and typing reads the file faster than it reads the copy (README,
        Benchmarks); the file must then stay in place while the build runs. -#}
    {%- set rows_relation = 'raw.' ~ adapter.quote(table ~ '__rows') -%}
    {%- set plain_columns = [] -%}
    {%- for column in declared -%}
        {%- do plain_columns.append(adapter.quote(column)) -%}
    {%- endfor -%}
    {%- do personagraph.duckdb__drop_raw_relation(table) -%}
    {#- (A file with its own column named file_row_number is copied.) -#}
    {%- if file_format == 'parquet' and var('raw__parquet_in_place', true)
        and 'file_row_number' not in (found | map('lower') | list) -%}
        {%- do run_query('drop table if exists ' ~ rows_relation) -%}
        {%- do run_query(
            'create view ' ~ target_relation ~ ' as select file_row_number + 1 as _raw_row_number, '
            ~ select_list | join(', ') ~ ' from read_parquet('
            ~ personagraph.sql_string(file_path) ~ ', file_row_number = true)'
        ) -%}
    {%- else -%}
        {%- do run_query(
            'create or replace table ' ~ rows_relation ~ ' as select '
            ~ select_list | join(', ') ~ ' from ' ~ reader
        ) -%}
        {%- do run_query(
            'create view ' ~ target_relation ~ ' as select rowid + 1 as _raw_row_number, '
            ~ plain_columns | join(', ') ~ ' from ' ~ rows_relation
        ) -%}
    {%- endif -%}

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

{% macro raw_column_plan(table, declared, record_id, file_path, file_format, found) -%}
    {#- Engine-neutral: match a file's column names (found) to the table's declared
        ones, stop the build with the rule a bad header breaks, and log missing and
        extra columns. Returns by_name (lower-case declared name -> name in the file),
        file_columns (the file's columns, unnamed or repeated ones renamed), missing
        and extra. -#}
    {#- Match the file's columns to the declared ones, case-insensitively. A column
        without a name, or an undeclared name that repeats, is renamed and ignored; a
        declared name that repeats is ambiguous. -#}
    {%- set by_name = {} -%}
    {%- set file_columns = [] -%}
    {%- for name in found -%}
        {%- set key = name | lower -%}
        {%- set column_name = name -%}
        {%- if key in by_name or key == '' -%}
            {%- if key in declared -%}
                {%- do personagraph.raw_file_error(
                    file_path, 'the column "' ~ name ~ '" appears twice in the header', 'unique_column_names'
                ) -%}
            {%- endif -%}
            {%- set column_name = (name or 'unnamed') ~ '_' ~ loop.index -%}
            {%- set key = column_name | lower -%}
        {%- endif -%}
        {%- do by_name.update({key: column_name}) -%}
        {%- do file_columns.append(column_name) -%}
    {%- endfor -%}
    {%- set missing = [] -%}
    {%- for column in declared if column not in by_name -%}
        {%- do missing.append(column) -%}
    {%- endfor -%}
    {%- set extra = [] -%}
    {%- for name in file_columns if (name | lower) not in declared -%}
        {%- do extra.append(name) -%}
    {%- endfor -%}

    {%- set delimiter_hints = [] -%}
    {%- if file_format == 'csv' and found | length == 1 -%}
        {%- for delimiter, label in [(';', '";"'), ('\t', 'tab'), ('|', '"|"')] if delimiter in found[0] -%}
            {%- do delimiter_hints.append('the header is one column holding ' ~ found[0].count(delimiter) ~ ' '
                ~ label ~ (' characters' if label == 'tab' else '') ~ ': the file seems to be separated by ' ~ label
                ~ ', not by commas (rule: comma_separated)') -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set delimiter_hint = delimiter_hints[0] if delimiter_hints else '' -%}
    {%- if missing | length == declared | length and not (found | join('') | trim) -%}
        {%- set no_header_hint = 'the first line is blank, and the header row must be the first line'
            ~ ' (rule: header_row_present)' -%}
    {%- elif missing | length == declared | length -%}
        {%- set no_header_hint = 'none of the ' ~ found | length ~ ' fields of the first line is a column of '
            ~ table ~ ' (' ~ declared | join(', ') ~ '): the first line must be the header row'
            ~ ' (rule: header_row_present)' -%}
    {%- else -%}
        {%- set no_header_hint = '' -%}
    {%- endif -%}
    {%- for column in record_id if column in missing -%}
        {#- Names of the columns found are shown only when the first line is a header. -#}
        {{ exceptions.raise_compiler_error(
            'personagraph: raw file ' ~ file_path ~ ': the record id column "' ~ column
            ~ '" is missing (rule: record_id_column_present). '
            ~ (delimiter_hint[:1] | upper ~ delimiter_hint[1:] if delimiter_hint
               else no_header_hint[:1] | upper ~ no_header_hint[1:] if no_header_hint
               else 'Columns found: ' ~ file_columns | join(', ') ~ '.'
                    ~ (' Is the file comma separated with a header row?' if file_format == 'csv' else ''))
        ) }}
    {%- endfor -%}
    {%- if delimiter_hint or no_header_hint -%}
        {{ exceptions.raise_compiler_error(
            'personagraph: raw file ' ~ file_path ~ ': ' ~ (delimiter_hint or no_header_hint)
        ) }}
    {%- endif -%}
    {%- if missing -%}
        {{ log('personagraph: raw table ' ~ table ~ ': columns missing from ' ~ file_path
            ~ ', read as null: ' ~ missing | join(', '), info=true) }}
    {%- endif -%}
    {%- if extra -%}
        {{ log('personagraph: raw table ' ~ table ~ ': extra columns in ' ~ file_path
            ~ ' ignored: ' ~ extra | join(', '), info=true) }}
    {%- endif -%}
    {{ return({'by_name': by_name, 'file_columns': file_columns, 'missing': missing, 'extra': extra}) }}
{%- endmacro %}
