-- One row per version of a shop customer (an export may repeat a customer with a later
-- updated_at; every version is kept as identity evidence).

with

base as (
    {{ personagraph.used_typed_rows('base_shop__customers', ['version_rank', 'is_current_version']) }}
),

final as (
    select
        customer_id,
        email,
        phone,
        first_name,
        first_name_normalized,
        last_name,
        last_name_normalized,
        created_at,
        updated_at,
        accepts_marketing,
        version_rank as version_number,
        is_current_version,
        source_row_number,
        unusable_columns
    from base
)

select * from final
