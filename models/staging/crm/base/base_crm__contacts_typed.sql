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
typed as (
    select
        source_row_number,
        raw_row_hash,
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
        {{ personagraph.raw_value_presence(checked_columns) }}
    from source
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
