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
typed as (
    select
        source_row_number,
        raw_row_hash,
        {{ personagraph.clean_id('loyalty_id') }} as loyalty_id,
        {{ personagraph.normalize_email('email') }} as email,
        {{ personagraph.normalize_phone('phone') }} as phone,
        {{ personagraph.clean_name('first_name') }} as first_name,
        {{ personagraph.normalize_name('first_name') }} as first_name_normalized,
        {{ personagraph.clean_name('last_name') }} as last_name,
        {{ personagraph.normalize_name('last_name') }} as last_name_normalized,
        {{ personagraph.parse_date('date_of_birth') }} as date_of_birth,
        {{ personagraph.clean_text('postcode') }} as postcode,
        {{ personagraph.normalize_postcode('postcode') }} as postcode_normalized,
        lower({{ personagraph.clean_text('tier') }}) as tier,
        {{ personagraph.parse_integer('points_balance') }} as points_balance,
        {{ personagraph.parse_timestamp('joined_at') }} as joined_at,
        {{ personagraph.raw_value_presence(checked_columns) }}
    from source
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
