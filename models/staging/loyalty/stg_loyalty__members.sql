-- One row per loyalty member.

with

typed_rows as (
    select * from {{ ref('base_loyalty__members_typed') }}
),

decisions as (
    select * from {{ ref('base_loyalty__members') }}
),

final as (
    select
        typed_rows.loyalty_id,
        typed_rows.email,
        typed_rows.phone,
        typed_rows.first_name,
        typed_rows.first_name_normalized,
        typed_rows.last_name,
        typed_rows.last_name_normalized,
        typed_rows.date_of_birth,
        typed_rows.postcode,
        typed_rows.postcode_normalized,
        typed_rows.tier,
        typed_rows.points_balance,
        typed_rows.joined_at,
        typed_rows.source_row_number,
        typed_rows.unusable_columns
    from typed_rows
    inner join decisions
        on typed_rows.source_row_number = decisions.source_row_number
    where decisions.quarantine_rule is null
)

select * from final
