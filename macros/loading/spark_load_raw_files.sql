{#- Spark's raw loader: the same tables, rules, log lines and errors as the DuckDB one
    (load_raw_files.sql), as Parquet tables in the Spark warehouse.

    Spark's own CSV reader cannot say on which line of a file a record stood, and it
    reads a line with too few or too many fields, or a quote in the wrong place, without
    saying so the way DuckDB does. So a CSV file is read as text lines (split on \n, a
    \r before it kept until the record is known) and parsed in SQL: a line continues the
    record before it when that record has an open quoted field; a record is one row when
    it is a comma-separated list of RFC 4180 fields with as many fields as the header.
    Line numbers count records the way DuckDB's reject table does (blank lines count,
    a record with quoted line breaks counts once), and _raw_row_number numbers the rows
    used, in file order, as DuckDB's rowid does. -#}

{#- The inside of a quoted field: runs without quotes and doubled quotes. Possessive
    (RFC 4180 pairs quotes from the left, so nothing is ever given back), which also keeps
    Java's regex engine from recursing once per character of a long value. -#}
{% macro spark__csv_quoted_pattern() -%}
    {{ return('(?:[^"]++|"")*+') }}
{%- endmacro %}


{#- One field: quoted (doubled quotes inside, spaces around it allowed), or unquoted (it
    may hold quotes after its first character, as DuckDB accepts), or blank. -#}
{% macro spark__csv_field_pattern() -%}
    {{ return('(?:\\s*"' ~ personagraph.spark__csv_quoted_pattern() ~ '"\\s*|\\s*[^\\s,"][^,]*|\\s*)') }}
{%- endmacro %}


{#- A regular expression as a Spark SQL string literal (backslashes are escapes there). -#}
{% macro spark__regex_literal(pattern) -%}
    '{{ pattern | replace("\\", "\\\\") | replace("'", "''") }}'
{%- endmacro %}


{% macro spark__drop_raw_relation(table) -%}
    {#- Drop raw.<table> whether an earlier build left it as a table or a view. -#}
    {%- set views = run_query("show views in raw like " ~ personagraph.sql_string(table)) -%}
    {%- if views.rows | length > 0 -%}
        {%- do run_query('drop view if exists raw.' ~ adapter.quote(table)) -%}
    {%- else -%}
        {%- do run_query('drop table if exists raw.' ~ adapter.quote(table)) -%}
    {%- endif -%}
{%- endmacro %}


{% macro spark__load_raw_files() -%}
    {%- set raw_dir = (var('raw__dir') | string).rstrip('/') -%}
    {%- do run_query('create schema if not exists raw') -%}
    {%- do run_query('drop table if exists raw._csv_rejects') -%}
    {%- do run_query(
        'create table raw._csv_rejects (table_name string, line_number bigint, error_type string,'
        ~ ' error_message string, csv_line string) using parquet'
    ) -%}
    {%- do run_query('drop table if exists raw._load_log') -%}
    {%- do run_query(
        'create table raw._load_log (table_name string, file_path string, file_format string,'
        ~ ' status string, rows_loaded bigint, lines_rejected bigint, missing_columns string,'
        ~ ' extra_columns string) using parquet'
    ) -%}
    {%- set nodes = personagraph.raw_source_nodes() -%}
    {%- set files = personagraph.spark__raw_dir_files(raw_dir) -%}
    {%- do personagraph.check_raw_file_names(nodes, files.keys() | list, raw_dir) -%}
    {%- for node in nodes -%}
        {%- do personagraph.spark__load_raw_table(node, raw_dir, files) -%}
    {%- endfor -%}
{%- endmacro %}


{% macro spark__raw_dir_files(raw_dir) -%}
    {#- Name -> size in bytes of the files in the raw folder (the folder must exist).
        Spark's file listing skips names starting with '_' or '.'. -#}
    {%- do run_query(
        'create or replace temporary view personagraph_raw_files using binaryFile options (path '
        ~ personagraph.sql_string(raw_dir) ~ ", recursiveFileLookup 'false')"
    ) -%}
    {%- set result = run_query('select path, length from personagraph_raw_files') -%}
    {%- set files = {} -%}
    {%- for row in result.rows -%}
        {%- do files.update({row[0].replace('\\', '/').split('/')[-1]: row[1]}) -%}
    {%- endfor -%}
    {{ return(files) }}
{%- endmacro %}


{% macro spark__raw_text_view(path) -%}
    {#- The file as text lines in file order: line_index (1 based), line (a \r before the
        \n kept). The view is temporary; the numbering is fixed once it is read. -#}
    {%- do run_query(
        'create or replace temporary view personagraph_raw_text using text options (path '
        ~ personagraph.sql_string(path) ~ ", lineSep '\\n')"
    ) -%}
    {{ return(
        '(select row_number() over (order by block_start, line_id) as line_index, line from ('
        ~ 'select input_file_block_start() as block_start, monotonically_increasing_id() as line_id,'
        ~ ' value as line from personagraph_raw_text) as text_lines)'
    ) }}
{%- endmacro %}


{% macro spark__raw_csv_header(path, declared, size) -%}
    {#- The header's column names, or none when the file holds nothing but blank lines;
        the same checks as duckdb__raw_csv_header (invalid bytes read as U+FFFD). -#}
    {%- if size == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {%- do personagraph.spark__raw_text_view(path) -%}
    {#- Line 1 without numbering every line: the first line read from the file's first
        block (a block is read in order). -#}
    {%- set first = run_query(
        'select regexp_replace(value, ' ~ personagraph.spark__regex_literal('^\\x{FEFF}|\\r$')
        ~ ", '') as line from personagraph_raw_text where input_file_block_start() = 0 limit 1"
    ) -%}
    {%- set line = first.rows[0][0] if first.rows | length > 0 else none -%}
    {%- set has_nul = line is not none and '\x00' in line -%}
    {%- set names = personagraph.split_csv_header(line) if line is not none else [] -%}
    {%- set known = [] -%}
    {%- for name in names if (name | lower) in declared -%}
        {%- do known.append(name) -%}
    {%- endfor -%}
    {%- if known and not has_nul -%}
        {{ return({'names': names, 'is_utf8': true}) }}
    {%- endif -%}
    {%- set summary = run_query(
        'select count_if(instr(value, char(0)) > 0), count_if(value rlike '
        ~ personagraph.spark__regex_literal('[^\\s\\x{FEFF}]') ~ ') from personagraph_raw_text'
    ).rows[0] -%}
    {%- set looks_utf16 = summary[0] > 0 or (line is not none and line.startswith('\ufffd\ufffd')) -%}
    {%- if looks_utf16 -%}
        {%- do personagraph.raw_file_error(
            path, 'the file is not UTF-8: it starts with a UTF-16 byte order mark or holds NUL bytes;'
            ~ ' save it as UTF-8 (in Excel: "CSV UTF-8")', 'utf8_encoding'
        ) -%}
    {%- endif -%}
    {%- if summary[1] == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return({'names': personagraph.split_csv_header(line.replace('\ufffd', '?')), 'is_utf8': '\ufffd' not in line}) }}
{%- endmacro %}


{% macro spark__check_parquet_file(path, size) -%}
    {#- A clear error instead of the engine's when a .parquet file is no Parquet file. -#}
    {%- if size == 0 or size > personagraph.raw_file_exact_check_limit() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set result = run_query(
        "select length >= 12 and substr(content, 1, 4) = X'50415231'"
        ~ " and substr(content, length - 3, 4) = X'50415231' from binaryFile.`" ~ path ~ '`'
    ) -%}
    {%- if not result.rows[0][0] -%}
        {%- do personagraph.raw_file_error(
            path, 'the file is not a Parquet file (no PAR1 magic bytes at its start and end);'
            ~ ' a CSV export must be named .csv', 'readable_parquet'
        ) -%}
    {%- endif -%}
{%- endmacro %}


{% macro spark__create_empty_raw_table(table, declared) -%}
    {%- set select_list = [] -%}
    {%- for column in declared -%}
        {%- do select_list.append('cast(null as string) as ' ~ adapter.quote(column)) -%}
    {%- endfor -%}
    {%- do run_query('drop table if exists raw.' ~ adapter.quote(table ~ '__rows')) -%}
    {%- do run_query(
        'create table raw.' ~ adapter.quote(table ~ '__rows') ~ ' using parquet as select'
        ~ ' cast(null as bigint) as _raw_row_number, ' ~ select_list | join(', ') ~ ' where false'
    ) -%}
{%- endmacro %}


{% macro spark__csv_records_sql(lines, field_count) -%}
    {#- Every record of a CSV file after its header: record_number (DuckDB's line
        number), record (its text), fields (array) and error_type (null when usable).
        A line's quote state is a function of the state before it: it ends inside a
        quoted field or not, given that it starts outside or inside one. Composing
        those functions along the file is done with running windows: the last line
        whose end state does not depend on its start fixes the state, and every line
        since that flips it (starts and ends on opposite sides) toggles it. -#}
    {%- set field = personagraph.spark__csv_field_pattern() -%}
    {%- set quoted_rest = personagraph.spark__csv_quoted_pattern() -%}
    {%- set open_tail = '\\s*"' ~ quoted_rest ~ '$' -%}
with

lines as (
    select * from {{ lines }}
),

transitions as (
    select
        line_index,
        line,
        case when line rlike {{ personagraph.spark__regex_literal('^(?:' ~ field ~ ',)*' ~ open_tail) }} then 1 else 0 end as open_after_out,
        case
            when line rlike {{ personagraph.spark__regex_literal('^' ~ quoted_rest ~ '$') }} then 1
            when line rlike {{ personagraph.spark__regex_literal('^' ~ quoted_rest ~ '"\\s*(?:,' ~ field ~ ')*,' ~ open_tail) }} then 1
            else 0
        end as open_after_in
    from lines
),

flips as (
    select
        *,
        sum(case when open_after_out = 1 and open_after_in = 0 then 1 else 0 end)
            over (order by line_index rows between unbounded preceding and current row) as flips_so_far
    from transitions
),

states as (
    select
        *,
        last(case when open_after_out = open_after_in then open_after_out end, true)
            over (order by line_index rows between unbounded preceding and current row) as fixed_state,
        last(case when open_after_out = open_after_in then flips_so_far end, true)
            over (order by line_index rows between unbounded preceding and current row) as flips_at_fixed
    from flips
),

line_states as (
    select
        line_index,
        line,
        coalesce(lag(pmod(coalesce(fixed_state, 0) + flips_so_far - coalesce(flips_at_fixed, 0), 2))
            over (order by line_index), 0) as open_before
    from states
),

record_lines as (
    select
        line_index,
        line,
        sum(1 - open_before) over (order by line_index rows between unbounded preceding and current row)
            as record_number
    from line_states
),

records as (
    select
        record_number,
        regexp_replace(
            array_join(transform(array_sort(collect_list(struct(line_index, line))), part -> part.line), '\n'),
            '\r$', ''
        ) as record
    from record_lines
    group by record_number
),

parsed as (
    select
        record_number,
        record,
        case
            when record rlike {{ personagraph.spark__regex_literal('^' ~ field ~ '(?:,' ~ field ~ ')*$') }}
                then regexp_extract_all(record, {{ personagraph.spark__regex_literal('(?<=^|,)(' ~ field ~ ')(?:,|$)') }}, 1)
        end as fields
    from records
    where record_number > 1 and record != ''
)

select
    record_number,
    record,
    fields,
    case
        when length(record) > 4194304 then 'LINE SIZE OVER MAXIMUM'
        when instr(record, '\uFFFD') > 0 then 'INVALID ENCODING'
        when fields is null then 'UNQUOTED VALUE'
        when size(fields) < {{ field_count }} then 'MISSING COLUMNS'
        when size(fields) > {{ field_count }} then 'TOO MANY COLUMNS'
    end as error_type
from parsed
{%- endmacro %}


{% macro spark__csv_value(fields_expression, position) -%}
    {#- Field <position> (1 based) as DuckDB reads it: quotes and the spaces around them
        removed, doubled quotes undone, empty (quoted or not) as null. -#}
    {%- set value = 'element_at(' ~ fields_expression ~ ', ' ~ position ~ ')' -%}
    nullif(case
        when {{ value }} rlike {{ personagraph.spark__regex_literal('^\\s*"') }}
            then replace(regexp_replace({{ value }}, {{ personagraph.spark__regex_literal('^\\s*"|"\\s*$') }}, ''), '""', '"')
        else {{ value }}
    end, '')
{%- endmacro %}


{% macro spark__load_raw_table(node, raw_dir, files) -%}
    {%- set table = node.identifier -%}
    {%- set declared = node.columns.keys() | list -%}
    {%- set record_id = personagraph.raw_record_id_columns(node) -%}
    {%- set target_relation = 'raw.' ~ adapter.quote(table) -%}
    {%- set rows_relation = 'raw.' ~ adapter.quote(table ~ '__rows') -%}
    {%- set file_path = none -%}
    {%- set file_format = none -%}
    {%- set found = none -%}
    {%- set header_is_utf8 = true -%}
    {%- if table ~ '.csv' in files -%}
        {%- set file_path = raw_dir ~ '/' ~ table ~ '.csv' -%}
        {%- set file_format = 'csv' -%}
        {%- set header = personagraph.spark__raw_csv_header(file_path, declared, files[table ~ '.csv']) -%}
        {%- if header is not none -%}
            {%- set found = header.names -%}
            {%- set header_is_utf8 = header.is_utf8 -%}
        {%- endif -%}
    {%- elif table ~ '.parquet' in files -%}
        {%- set file_path = raw_dir ~ '/' ~ table ~ '.parquet' -%}
        {%- set file_format = 'parquet' -%}
        {%- do personagraph.spark__check_parquet_file(file_path, files[table ~ '.parquet']) -%}
        {%- if files[table ~ '.parquet'] > 0 -%}
            {%- set described = run_query('select * from parquet.`' ~ file_path ~ '` limit 0') -%}
            {%- set found = described.column_names | list -%}
        {%- endif -%}
    {%- endif -%}

    {%- set plain_columns = [] -%}
    {%- for column in declared -%}
        {%- do plain_columns.append(adapter.quote(column)) -%}
    {%- endfor -%}
    {%- do personagraph.spark__drop_raw_relation(table) -%}

    {%- if file_path is none or found is none -%}
        {%- set status = 'missing' if file_path is none else 'empty_file' -%}
        {{ log('personagraph: raw table ' ~ table ~ ': '
            ~ ('no ' ~ table ~ '.csv or ' ~ table ~ '.parquet in ' ~ raw_dir if file_path is none
               else file_path ~ ' is empty')
            ~ '; read as empty', info=true) }}
        {%- do personagraph.spark__create_empty_raw_table(table, declared) -%}
        {%- do run_query(
            'create view ' ~ target_relation ~ ' as select _raw_row_number, '
            ~ plain_columns | join(', ') ~ ' from ' ~ rows_relation
        ) -%}
        {%- do run_query(
            'insert into raw._load_log values (' ~ personagraph.sql_string(table) ~ ', '
            ~ (personagraph.sql_string(file_path) if file_path else 'cast(null as string)') ~ ', '
            ~ (personagraph.sql_string(file_format) if file_format else 'cast(null as string)') ~ ', '
            ~ personagraph.sql_string(status) ~ ', 0, 0, cast(null as string), cast(null as string))'
        ) -%}
        {{ return(none) }}
    {%- endif -%}

    {%- if not header_is_utf8 -%}
        {{ log('personagraph: raw table ' ~ table ~ ': the header of ' ~ file_path ~ ' is not valid UTF-8;'
            ~ ' bytes that are not UTF-8 are shown as ?, and lines holding such bytes are quarantined'
            ~ ' (csv_invalid_encoding)', info=true) }}
    {%- endif -%}

    {%- set plan = personagraph.raw_column_plan(table, declared, record_id, file_path, file_format, found) -%}

    {%- do run_query('drop table if exists ' ~ rows_relation) -%}
    {%- if file_format == 'csv' -%}
        {%- set select_list = [] -%}
        {%- for column in declared -%}
            {%- if column in plan.by_name -%}
                {%- do select_list.append(
                    personagraph.spark__csv_value('fields', plan.file_columns.index(plan.by_name[column]) + 1)
                    ~ ' as ' ~ adapter.quote(column)
                ) -%}
            {%- else -%}
                {%- do select_list.append('cast(null as string) as ' ~ adapter.quote(column)) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set records = 'raw.' ~ adapter.quote(table ~ '__records') -%}
        {%- do run_query('drop table if exists ' ~ records) -%}
        {%- do run_query(
            'create table ' ~ records ~ ' using parquet as '
            ~ personagraph.spark__csv_records_sql(personagraph.spark__raw_text_view(file_path), found | length)
        ) -%}
        {%- do run_query(
            'create table ' ~ rows_relation ~ ' using parquet as select'
            ~ ' row_number() over (order by record_number) as _raw_row_number, '
            ~ select_list | join(', ') ~ ' from ' ~ records ~ ' where error_type is null'
        ) -%}
        {%- do run_query(
            'insert into raw._csv_rejects select ' ~ personagraph.sql_string(table) ~ ', record_number,'
            ~ ' error_type, case'
            ~ " when error_type in ('MISSING COLUMNS', 'TOO MANY COLUMNS')"
            ~ " then 'Expected Number of Columns: " ~ found | length ~ " Found: ' || size(fields)"
            ~ " when error_type = 'UNQUOTED VALUE' then 'Value with unterminated quote found.'"
            ~ " when error_type = 'INVALID ENCODING' then 'Invalid unicode (byte sequence mismatch) detected.'"
            ~ " else 'Maximum line size of 4194304 bytes exceeded.' end, record"
            ~ ' from ' ~ records ~ ' where error_type is not null'
        ) -%}
        {%- do run_query('drop table if exists ' ~ records) -%}
    {%- else -%}
        {%- set select_list = [] -%}
        {%- for column in declared -%}
            {%- if column in plan.by_name -%}
                {%- do select_list.append(
                    'cast(' ~ adapter.quote(plan.by_name[column]) ~ ' as string) as ' ~ adapter.quote(column)
                ) -%}
            {%- else -%}
                {%- do select_list.append('cast(null as string) as ' ~ adapter.quote(column)) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do run_query(
            'create table ' ~ rows_relation ~ ' using parquet as select'
            ~ ' row_number() over (order by _metadata.row_index) as _raw_row_number, '
            ~ select_list | join(', ') ~ ' from parquet.`' ~ file_path ~ '`'
        ) -%}
    {%- endif -%}
    {%- do run_query(
        'create view ' ~ target_relation ~ ' as select _raw_row_number, '
        ~ plain_columns | join(', ') ~ ' from ' ~ rows_relation
    ) -%}

    {%- set counts = run_query(
        'select (select count(*) from ' ~ rows_relation ~ '),'
        ~ ' (select count(*) from raw._csv_rejects where table_name = ' ~ personagraph.sql_string(table) ~ ')'
    ) -%}
    {%- set rows_loaded = counts.rows[0][0] -%}
    {%- set lines_rejected = counts.rows[0][1] -%}
    {%- do run_query(
        'insert into raw._load_log values (' ~ personagraph.sql_string(table) ~ ', '
        ~ personagraph.sql_string(file_path) ~ ', ' ~ personagraph.sql_string(file_format)
        ~ ", 'loaded', " ~ rows_loaded ~ ', ' ~ lines_rejected ~ ', '
        ~ (personagraph.sql_string(plan.missing | join(',')) if plan.missing else 'cast(null as string)') ~ ', '
        ~ (personagraph.sql_string(plan.extra | join(',')) if plan.extra else 'cast(null as string)') ~ ')'
    ) -%}
    {{ log('personagraph: raw table ' ~ table ~ ': ' ~ rows_loaded ~ ' rows read from '
        ~ file_path ~ (', ' ~ lines_rejected ~ ' unusable lines kept for quarantine' if lines_rejected else ''),
        info=true) }}
{%- endmacro %}
