{#- Typed rows that share raw_row_hash are taken for exact copies of one raw row and
    collapsed into one. The fingerprint is a hash, so this test checks the claim: for every
    set of rows sharing a fingerprint it reads their raw values back (only these rows) and
    returns the fingerprints whose rows are not all identical, with how many different
    rows share each. Fingerprints only, never values. -#}
{% test raw_row_hash_identifies_exact_copies(model, raw_relation) %}
{%- set raw_columns = [] -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(raw_relation) -%}
        {%- if column.name != '_raw_row_number' -%}
            {%- do raw_columns.append(column.name) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif %}

with

shared_fingerprints as (
    select raw_row_hash
    from {{ model }}
    group by raw_row_hash
    having count(*) > 1
),

copies as (
    select
        typed_rows.raw_row_hash,
        {{ personagraph.exact_row_fingerprint(raw_columns) }} as exact_fingerprint
    from {{ model }} as typed_rows
    inner join shared_fingerprints
        on typed_rows.raw_row_hash = shared_fingerprints.raw_row_hash
    inner join {{ raw_relation }} as raw_values
        on typed_rows.source_row_number = raw_values._raw_row_number
)

select
    raw_row_hash,
    count(distinct exact_fingerprint) as different_rows
from copies
group by raw_row_hash
having count(distinct exact_fingerprint) > 1

{% endtest %}
