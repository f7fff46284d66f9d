-- One row per loyalty member.

with

base as (
    {{ personagraph.used_typed_rows('base_loyalty__members') }}
),

final as (
    select
        loyalty_id,
        email,
        phone,
        first_name,
        first_name_normalized,
        last_name,
        last_name_normalized,
        date_of_birth,
        postcode,
        postcode_normalized,
        tier,
        points_balance,
        joined_at,
        source_row_number,
        unusable_columns
    from base
)

select * from final
