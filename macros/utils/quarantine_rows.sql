{#- The quarantine of one raw table, in one shape for every table: the rows its base
    model rejected (with the rule and the raw row as JSON, read back from the raw table
    for these rows only) and the CSV lines the loader could not parse (with the line
    number and the parser's reason). -#}
{% macro quarantine_rows(base_model, source_name, raw_table) -%}
with

rejected_rows as (
    select
        base_rows.source_row_number,
        base_rows.quarantine_rule,
        {{ personagraph.row_json('raw_rows') }} as raw_record
    from {{ ref(base_model) }} as base_rows
    inner join {{ source(source_name, raw_table) }} as raw_rows
        on base_rows.source_row_number = raw_rows._raw_row_number
    where base_rows.quarantine_rule is not null
),

unparseable_lines as (
    select
        line_number,
        error_type,
        csv_line
    from {{ source('raw_loader', '_csv_rejects') }}
    where table_name = '{{ raw_table }}'
),

final as (
    select
        '{{ raw_table }}' as source_table,
        source_row_number,
        cast(null as bigint) as file_line_number,
        quarantine_rule,
        raw_record
    from rejected_rows

    union all

    select
        '{{ raw_table }}' as source_table,
        cast(null as bigint) as source_row_number,
        line_number as file_line_number,
        'csv_' || lower(replace(error_type, ' ', '_')) as quarantine_rule,
        csv_line as raw_record
    from unparseable_lines
)

select * from final
{%- endmacro %}
