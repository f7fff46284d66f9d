-- One row per raw row of loyalty_members, typed and normalised row by row, with the first
-- rule it breaks (null when none). Incremental: no row depends on another, so rows
-- appended to the file since the previous build are typed on their own
-- (macros/utils/typed_raw_rows.sql); exact copies and repeated ids are decided in
-- base_loyalty__members.
{{ config(materialized='incremental', incremental_strategy='append') }}
{%- set raw_columns = [
    'loyalty_id',
    'email',
    'phone',
    'first_name',
    'last_name',
    'date_of_birth',
    'postcode',
    'tier',
    'points_balance',
    'joined_at'
] %}
{%- set checked_columns = [
    'email',
    'phone',
    'date_of_birth',
    'points_balance',
    'joined_at'
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
        loyalty_id,
        {{ personagraph.normalize_email('email', already_clean=true) }} as email,
        {{ personagraph.normalize_phone('phone', already_clean=true) }} as phone,
        first_name,
        {{ personagraph.normalize_name('first_name', already_clean=true) }} as first_name_normalized,
        last_name,
        {{ personagraph.normalize_name('last_name', already_clean=true) }} as last_name_normalized,
        {{ personagraph.parse_date('date_of_birth', already_clean=true) }} as date_of_birth,
        postcode,
        {{ personagraph.normalize_postcode('postcode', already_clean=true) }} as postcode_normalized,
        lower(tier) as tier,
        {{ personagraph.parse_integer('points_balance', already_clean=true) }} as points_balance,
        {{ personagraph.parse_timestamp('joined_at', already_clean=true) }} as joined_at,
        {{ personagraph.raw_value_presence(checked_columns) }}
    from cleaned
),

validated as (
    select
        {{ personagraph.star_except(personagraph.raw_presence_columns(checked_columns)) }},
        {{ personagraph.unusable_columns(checked_columns) }} as unusable_columns,
        case
            when loyalty_id is null then 'record_id_missing'
        end as broken_rule
    from typed
)
{%- endset %}

with

source as (
    {{ personagraph.new_raw_rows(source('loyalty', 'loyalty_members'), raw_columns, local_md5(typing)) }}
),

{{ typing }},

final as (
    select
        *,
        '{{ local_md5(typing) }}' as typing_version
    from validated
)

select * from final
