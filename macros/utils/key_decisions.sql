{#- The last step of a base model whose record id must be unique: rows that broke no rule
    but repeat a key already seen earlier in the file (same id, other content) are
    quarantined as record_id_duplicate_with_other_content; the first copy is used.
    relation: rows with source_row_number and broken_rule. -#}
{% macro quarantine_later_copies(relation, key_columns) -%}
    select
        *,
        case
            when broken_rule is not null then broken_rule
            when row_number() over (
                partition by {{ key_columns | join(', ') }}, broken_rule is null
                order by source_row_number
            ) > 1 then 'record_id_duplicate_with_other_content'
        end as quarantine_rule
    from {{ relation }}
{%- endmacro %}


{#- The last step of a base model whose records are exported again over time: every
    version is kept (old emails and addresses are identity evidence), ranked latest
    first by the version column, then by file position; version_rank 1 is current.
    relation: rows with source_row_number and broken_rule. -#}
{% macro rank_record_versions(relation, key_columns, version_column) -%}
    select
        *,
        row_number() over (
            partition by {{ key_columns | join(', ') }}, broken_rule is null
            order by {{ version_column }} desc nulls last, source_row_number desc
        ) as version_rank,
        broken_rule as quarantine_rule
    from {{ relation }}
{%- endmacro %}
