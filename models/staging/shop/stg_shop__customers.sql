-- One row per version of a shop customer (an export may repeat a customer with a later
-- updated_at; every version is kept as identity evidence).

with

typed_rows as (
    select * from {{ ref('base_shop__customers_typed') }}
),

decisions as (
    select * from {{ ref('base_shop__customers') }}
),

final as (
    select
        typed_rows.customer_id,
        typed_rows.email,
        typed_rows.phone,
        typed_rows.first_name,
        typed_rows.first_name_normalized,
        typed_rows.last_name,
        typed_rows.last_name_normalized,
        typed_rows.created_at,
        typed_rows.updated_at,
        typed_rows.accepts_marketing,
        decisions.version_rank as version_number,
        decisions.is_current_version,
        typed_rows.source_row_number,
        typed_rows.unusable_columns
    from typed_rows
    inner join decisions
        on typed_rows.source_row_number = decisions.source_row_number
    where decisions.quarantine_rule is null
)

select * from final
