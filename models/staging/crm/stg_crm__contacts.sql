-- One row per version of a CRM contact (every version kept as identity evidence).

with

typed_rows as (
    select * from {{ ref('base_crm__contacts_typed') }}
),

decisions as (
    select * from {{ ref('base_crm__contacts') }}
),

final as (
    select
        typed_rows.contact_id,
        typed_rows.first_name,
        typed_rows.first_name_normalized,
        typed_rows.last_name,
        typed_rows.last_name_normalized,
        typed_rows.date_of_birth,
        typed_rows.email,
        typed_rows.personal_email,
        typed_rows.phone,
        typed_rows.address_line1,
        typed_rows.address_line2,
        typed_rows.city,
        typed_rows.postcode,
        typed_rows.postcode_normalized,
        typed_rows.region,
        typed_rows.country,
        typed_rows.company,
        typed_rows.job_title,
        typed_rows.updated_at,
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
