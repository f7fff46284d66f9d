-- One row per distinct raw row of crm_contacts (exact copies collapsed and counted), typed
-- and normalised, with the first quarantine rule it breaks (null when the row is used).
{{ config(materialized='table') }}
{%- set raw_columns = [
    'contact_id',
    'first_name',
    'last_name',
    'date_of_birth',
    'email',
    'personal_email',
    'phone',
    'address_line1',
    'address_line2',
    'city',
    'postcode',
    'region',
    'country',
    'company',
    'job_title',
    'updated_at'
] %}

with

source as (
    select * from {{ source('crm', 'crm_contacts') }}
),

deduplicated as (
    {{ personagraph.deduplicate_exact_copies('source', raw_columns) }}
),

typed as (
    select
        source_row_number,
        copy_count,
        {{ personagraph.clean_id('contact_id') }} as contact_id,
        {{ personagraph.clean_name('first_name') }} as first_name,
        {{ personagraph.normalize_name('first_name') }} as first_name_normalized,
        {{ personagraph.clean_name('last_name') }} as last_name,
        {{ personagraph.normalize_name('last_name') }} as last_name_normalized,
        {{ personagraph.parse_date('date_of_birth') }} as date_of_birth,
        {{ personagraph.normalize_email('email') }} as email,
        {{ personagraph.normalize_email('personal_email') }} as personal_email,
        {{ personagraph.normalize_phone('phone') }} as phone,
        {{ personagraph.clean_text('address_line1') }} as address_line1,
        {{ personagraph.clean_text('address_line2') }} as address_line2,
        {{ personagraph.clean_text('city') }} as city,
        {{ personagraph.clean_text('postcode') }} as postcode,
        {{ personagraph.normalize_postcode('postcode') }} as postcode_normalized,
        {{ personagraph.clean_text('region') }} as region,
        {{ personagraph.normalize_country('country') }} as country,
        {{ personagraph.clean_text('company') }} as company,
        {{ personagraph.clean_text('job_title') }} as job_title,
        {{ personagraph.parse_timestamp('updated_at') }} as updated_at,
        {{ personagraph.unusable_values([
            ('date_of_birth', personagraph.parse_date('date_of_birth')),
            ('email', personagraph.normalize_email('email')),
            ('personal_email', personagraph.normalize_email('personal_email')),
            ('phone', personagraph.normalize_phone('phone')),
            ('country', personagraph.normalize_country('country')),
            ('updated_at', personagraph.parse_timestamp('updated_at'))
        ]) }} as unusable_columns
    from deduplicated
),

validated as (
    select
        *,
        case
            when contact_id is null then 'record_id_missing'
        end as broken_rule
    from typed
),

versioned as (
    {{ personagraph.rank_record_versions('validated', ['contact_id'], 'updated_at') }}
),

final as (
    select
        *,
        quarantine_rule is null and version_rank = 1 as is_current_version
    from versioned
)

select * from final
