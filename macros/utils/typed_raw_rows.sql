{#- Incremental typing of raw rows.

    A `base_<source>__<table>_typed` model types and validates raw rows one by one: no
    output row depends on another raw row, so rows appended to a raw file since the
    previous build can be typed on their own and appended (the model is incremental,
    strategy append), and the result is the same table a full rebuild gives. Whatever
    depends on several rows (exact copies, versions, later copies of a record id) is
    decided afterwards in the `base_` model, over all typed rows.

    new_raw_rows(source_relation, raw_columns, typing_version) returns the select of the
    rows to type in this build, each with its source_row_number and raw_row_hash (a
    fingerprint of its raw values that exact copies share, see raw_row_hash). On an
    incremental build it first checks that the previous rows still stand:
    - every typed row carries typing_version, the md5 of the model's rendered typing
      SQL (so a changed macro or var such as normalize__date_order changes it);
    - the typed rows still match the raw rows of the same numbers (same raw_row_hash):
      the file only grew. By default (var typing__verify_rows: sample) the last typed row
      and about typing__verify_sample_rows (10,000) rows spread evenly over the earlier
      ones are compared; typing__verify_rows: all compares every row.
    When either check fails the typed table is dropped and every row is typed again
    (the build log says why, naming the file and the first row that differs; never a
    value). Otherwise only rows after the last typed row are selected. -#}
{% macro new_raw_rows(source_relation, raw_columns, typing_version) -%}
    {%- set row_hash = personagraph.raw_row_hash(raw_columns) -%}
    {%- set state = namespace(after_row=none) -%}
    {#- Unit tests type their fixture rows as a first build. -#}
    {%- if execute and model.resource_type == 'model' and flags.WHICH in ('run', 'build') and is_incremental() -%}
        {%- set state.after_row = personagraph.last_row_still_typed(
            source_relation, row_hash, typing_version
        ) -%}
        {%- if state.after_row is none -%}
            {%- do adapter.drop_relation(
                adapter.get_relation(this.database, this.schema, this.identifier)
            ) -%}
        {%- endif -%}
    {%- endif -%}
    select
        source_rows.*,
        source_rows._raw_row_number as source_row_number,
        {{ row_hash | replace('raw_values.', 'source_rows.') }} as raw_row_hash
    from {{ source_relation }} as source_rows
    {%- if state.after_row is not none %}
    where source_rows._raw_row_number > {{ state.after_row }}
    {%- endif %}
{%- endmacro %}


{#- A fingerprint of a raw row's values that exact copies share. Columns are referenced as
    raw_values.<column>. DuckDB uses its 64-bit row hash of the columns (a third of the
    cost of md5 over a serialised row, which dominated typing); other engines the md5 of
    the row serialised as each value's length, a colon and the value (null as a dash), so
    that no two different rows share the serialisation. Two different rows sharing a
    64-bit hash is unlikely (about 1 in 100,000 for a table of 17 million rows) but not
    impossible, so the test raw_row_hash_identifies_exact_copies compares the raw values
    of every set of rows that share a fingerprint (with exact_row_fingerprint below) and
    fails the build rather than let two different rows pass as copies. -#}
{% macro raw_row_hash(raw_columns) -%}
    {{ return(adapter.dispatch('raw_row_hash', 'personagraph')(raw_columns)) }}
{%- endmacro %}

{% macro default__raw_row_hash(raw_columns) -%}
    {{ personagraph.exact_row_fingerprint(raw_columns) }}
{%- endmacro %}

{% macro duckdb__raw_row_hash(raw_columns) -%}
    hash(
        {%- for column in raw_columns %}
        raw_values.{{ adapter.quote(column) }}{{ "," if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}

{#- md5 of a raw row serialised without ambiguity: each value as its length, a colon and
    the value (null as a dash). -#}
{% macro exact_row_fingerprint(raw_columns) -%}
    md5(
        {%- for column in raw_columns %}
        coalesce(
            cast(length(raw_values.{{ adapter.quote(column) }}) as {{ dbt.type_string() }})
            || ':' || raw_values.{{ adapter.quote(column) }},
            '-'
        ){{ " || '|' ||" if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}


{#- The number of the last raw row typed by the previous build, when every typed row still
    stands (see new_raw_rows); none when the rows must all be typed again. -#}
{% macro last_row_still_typed(source_relation, row_hash, typing_version) -%}
    {%- set previous = run_query(
        'select count(*), coalesce(max(source_row_number), 0),'
        ~ " coalesce(sum(case when typing_version = '" ~ typing_version ~ "' then 0 else 1 end), 0)"
        ~ ' from ' ~ this
    ).rows[0] -%}
    {%- set typed_rows, last_row, other_versions = previous[0], previous[1], previous[2] -%}
    {%- set table = source_relation.identifier -%}
    {%- if other_versions > 0 -%}
        {{ log('personagraph: ' ~ table ~ ': the typing rules changed since the previous build;'
            ~ ' typing every row again', info=true) }}
        {{ return(none) }}
    {%- endif -%}
    {#- Which earlier rows to compare: all of them, or (by default) the last one and about
        typing__verify_sample_rows others evenly spread, which finds a replaced file at a
        fraction of the cost of hashing every earlier row again. -#}
    {%- set step = [1, (last_row // var('typing__verify_sample_rows', 10000)) | int] | max -%}
    {%- set compared = '' if var('typing__verify_rows', 'sample') == 'all' else
        ' and (typed_rows.source_row_number % ' ~ step ~ ' = 0 or typed_rows.source_row_number = '
        ~ last_row ~ ')' -%}
    {%- set changed = run_query(
        'select count(*), min(typed_rows.source_row_number)'
        ~ ' from ' ~ this ~ ' as typed_rows'
        ~ ' left join ' ~ source_relation ~ ' as raw_values'
        ~ ' on typed_rows.source_row_number = raw_values._raw_row_number'
        ~ ' where (raw_values._raw_row_number is null'
        ~ ' or typed_rows.raw_row_hash != ' ~ row_hash ~ ')' ~ compared
    ).rows[0] -%}
    {%- if changed[0] > 0 -%}
        {{ log('personagraph: ' ~ table ~ ': raw row ' ~ changed[1] ~ ' is not the row the previous build'
            ~ ' typed (the file was replaced or edited, not appended to; rule raw_file_appended);'
            ~ ' typing every row again', info=true) }}
        {{ return(none) }}
    {%- endif -%}
    {{ log('personagraph: ' ~ table ~ ': ' ~ typed_rows ~ ' rows typed before; typing the rows after row '
        ~ last_row, info=true) }}
    {{ return(last_row) }}
{%- endmacro %}
