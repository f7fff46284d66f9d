{#- The quarantine decisions of one raw table: the body of its base_<source>__<table>
    model, made over the typed rows of base_<source>__<table>_typed.

    One row per distinct raw row: exact copies (same raw_row_hash) collapse into their
    first row, which counts them (copy_count). The table stays narrow (source_row_number,
    copy_count, the decision columns): the stg_ view joins the typed values back with
    used_typed_rows, so the wide typed values are written once, not twice.

    unique_record_decisions: a record id must be unique. Rows that broke no rule of
    their own but repeat a key already seen earlier in the file (same id, other content)
    are quarantined as record_id_duplicate_with_other_content; the first is used.
    record_version_decisions: records are exported again over time, and every version is
    kept (old emails and addresses are identity evidence), ranked latest first by the
    version column, then by file position; version_rank 1 is current. -#}
{% macro unique_record_decisions(typed_model, key_columns) -%}
with

first_copies as (
    {{ personagraph.first_exact_copies(typed_model, key_columns) }}
),

final as (
    select
        source_row_number,
        copy_count,
        case
            when broken_rule is not null then broken_rule
            when row_number() over (
                partition by {{ key_columns | join(', ') }}, broken_rule is null
                order by source_row_number
            ) > 1 then 'record_id_duplicate_with_other_content'
        end as quarantine_rule
    from first_copies
)

select * from final
{%- endmacro %}


{% macro record_version_decisions(typed_model, key_columns, version_column) -%}
with

first_copies as (
    {{ personagraph.first_exact_copies(typed_model, key_columns + [version_column]) }}
),

ranked as (
    select
        source_row_number,
        copy_count,
        row_number() over (
            partition by {{ key_columns | join(', ') }}, broken_rule is null
            order by {{ version_column }} desc nulls last, source_row_number desc
        ) as version_rank,
        broken_rule as quarantine_rule
    from first_copies
),

final as (
    select
        source_row_number,
        copy_count,
        version_rank,
        quarantine_rule is null and version_rank = 1 as is_current_version,
        quarantine_rule
    from ranked
)

select * from final
{%- endmacro %}


{#- The first of each set of exact copies among the typed rows (same raw_row_hash), with
    the number of copies, its broken_rule and the given columns. -#}
{% macro first_exact_copies(typed_model, columns) -%}
    select
        typed_rows.source_row_number,
        {%- for column in columns %}
        typed_rows.{{ column }},
        {%- endfor %}
        typed_rows.broken_rule,
        copies.copy_count
    from {{ ref(typed_model) }} as typed_rows
    inner join (
        select
            min(source_row_number) as source_row_number,
            count(*) as copy_count
        from {{ ref(typed_model) }}
        group by raw_row_hash
    ) as copies
        on typed_rows.source_row_number = copies.source_row_number
{%- endmacro %}


{#- The rows of a raw table that are used: its typed values (base_<source>__<table>_typed)
    with the decision columns asked for, where base_<source>__<table> quarantined
    nothing. The import of a stg_ view. -#}
{% macro used_typed_rows(base_model, decision_columns=[]) -%}
    select
        typed_rows.*
        {%- for column in decision_columns %},
        decisions.{{ column }}
        {%- endfor %}
    from {{ ref(base_model ~ '_typed') }} as typed_rows
    inner join {{ ref(base_model) }} as decisions
        on typed_rows.source_row_number = decisions.source_row_number
    where decisions.quarantine_rule is null
{%- endmacro %}
