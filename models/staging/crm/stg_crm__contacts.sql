-- One row per version of a CRM contact (every version kept as identity evidence).

with

base as (
    {{ personagraph.used_typed_rows('base_crm__contacts', ['version_rank', 'is_current_version']) }}
),

final as (
    select
        contact_id,
        first_name,
        first_name_normalized,
        last_name,
        last_name_normalized,
        date_of_birth,
        email,
        personal_email,
        phone,
        address_line1,
        address_line2,
        city,
        postcode,
        postcode_normalized,
        region,
        country,
        company,
        job_title,
        updated_at,
        version_rank as version_number,
        is_current_version,
        source_row_number,
        unusable_columns
    from base
)

select * from final
