-- One row per raw row of crm_contacts, typed and normalised row by row, with the first
-- rule it breaks (null when none). Incremental: no row depends on another, so rows
-- appended to the file since the previous build are typed on their own
-- (macros/utils/typed_raw_rows.sql); exact copies and repeated ids are decided in
-- base_crm__contacts.
{{ config(materialized='incremental', incremental_strategy='append') }}
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
{%- set checked_columns = [
    'date_of_birth',
    'email',
    'personal_email',
    'phone',
    'country',
    'updated_at'
] %}
{%- set typing %}
cleaned as (
    select
        source_row_number,
        raw_row_hash,
        {{ personagraph.clean_columns(raw_columns) }}
    from source
),

typed as (
    select
        source_row_number,
        raw_row_hash,
        contact_id,
        first_name,
        {{ personagraph.normalize_name('first_name', already_clean=true) }} as first_name_normalized,
        last_name,
        {{ personagraph.normalize_name('last_name', already_clean=true) }} as last_name_normalized,
        {{ personagraph.parse_date('date_of_birth', already_clean=true) }} as date_of_birth,
        {{ personagraph.normalize_email('email', already_clean=true) }} as email,
        {{ personagraph.normalize_email('personal_email', already_clean=true) }} as personal_email,
        {{ personagraph.normalize_phone('phone', already_clean=true) }} as phone,
        address_line1,
        address_line2,
        city,
        postcode,
        {{ personagraph.normalize_postcode('postcode', already_clean=true) }} as postcode_normalized,
        region,
        {{ personagraph.normalize_country('country', already_clean=true) }} as country,
        company,
        job_title,
        {{ personagraph.parse_timestamp('updated_at', already_clean=true) }} as updated_at,
        {{ personagraph.raw_value_presence(checked_columns) }}
    from cleaned
),

validated as (
    select
        {{ personagraph.star_except(personagraph.raw_presence_columns(checked_columns)) }},
        {{ personagraph.unusable_columns(checked_columns) }} as unusable_columns,
        case
            when contact_id is null then 'record_id_missing'
        end as broken_rule
    from typed
)
{%- endset %}

with

source as (
    {{ personagraph.new_raw_rows(source('crm', 'crm_contacts'), raw_columns, local_md5(typing)) }}
),

{{ typing }},

final as (
    select
        *,
        '{{ local_md5(typing) }}' as typing_version
    from validated
)

select * from final
