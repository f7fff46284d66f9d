-- One row per record that describes a person (CRM contacts, shop customers, loyalty
-- members, support tickets, order shipping details), in one shape for probabilistic
-- matching: names, date of birth, address, postcode, city, region, email, phone.
-- Emails and phones that a guard set aside (blocklist, hub, bridge hub) are blank here,
-- so a match can never rest on a junk or shared value; so are names that are a
-- placeholder of the blocklist seed ('null', 'n/a', 'unknown', '-': a surname 'null'
-- would otherwise count as a different surname). Each record also carries the
-- deterministic component it already belongs to (null when it has no accepted
-- identifier; records whose identifiers fall in several components, rejected
-- transactions, are left out).
{#- The tables described_persons reads, by source_table: keep both in step. -#}
{%- set person_record_tables = [
    'crm_contacts', 'shop_customers', 'loyalty_members', 'support_tickets', 'shop_orders'
] %}

with

crm_contacts as (
    select * from {{ ref('stg_crm__contacts') }}
    where is_current_version
),

shop_customers as (
    select * from {{ ref('stg_shop__customers') }}
    where is_current_version
),

loyalty_members as (
    select * from {{ ref('stg_loyalty__members') }}
),

support_tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

shop_orders as (
    select * from {{ ref('stg_shop__orders') }}
),

nodes as (
    select * from {{ ref('int_identity_nodes') }}
),

bridge_hubs as (
    select * from {{ ref('int_identity_bridge_hubs') }}
),

record_identifiers as (
    select * from {{ ref('int_identity_record_identifiers') }}
),

components as (
    select * from {{ ref('int_identity_components') }}
),

blocklist as (
    select * from {{ ref('identity_blocklist') }}
),

placeholder_names as (
    select distinct {{ personagraph.normalize_name('match_value') }} as placeholder
    from blocklist
    where identifier_type = '*' and match_type = 'exact'
),

-- One branch per table of person_record_tables.
described_persons as (
    select
        'crm_contacts' as source_table,
        contact_id as source_record_id,
        first_name_normalized as first_name,
        last_name_normalized as last_name,
        date_of_birth,
        address_line1 as address_line,
        postcode_normalized as postcode,
        city,
        region,
        coalesce(personal_email, email) as email,
        phone
    from crm_contacts

    union all

    select
        'shop_customers' as source_table,
        customer_id as source_record_id,
        first_name_normalized as first_name,
        last_name_normalized as last_name,
        cast(null as date) as date_of_birth,
        cast(null as {{ dbt.type_string() }}) as address_line,
        cast(null as {{ dbt.type_string() }}) as postcode,
        cast(null as {{ dbt.type_string() }}) as city,
        cast(null as {{ dbt.type_string() }}) as region,
        email,
        phone
    from shop_customers

    union all

    select
        'loyalty_members' as source_table,
        loyalty_id as source_record_id,
        first_name_normalized as first_name,
        last_name_normalized as last_name,
        date_of_birth,
        cast(null as {{ dbt.type_string() }}) as address_line,
        postcode_normalized as postcode,
        cast(null as {{ dbt.type_string() }}) as city,
        cast(null as {{ dbt.type_string() }}) as region,
        email,
        phone
    from loyalty_members

    union all

    -- Free-text names ("M. Kelly", "Masha Kelly"): the first word is the first name,
    -- the last word the last name; a single word is a last name.
    select
        'support_tickets' as source_table,
        ticket_id as source_record_id,
        case
            when customer_name_normalized like '% %'
                then split_part(customer_name_normalized, ' ', 1)
        end as first_name,
        {{ personagraph.last_word('customer_name_normalized') }} as last_name,
        cast(null as date) as date_of_birth,
        cast(null as {{ dbt.type_string() }}) as address_line,
        cast(null as {{ dbt.type_string() }}) as postcode,
        cast(null as {{ dbt.type_string() }}) as city,
        cast(null as {{ dbt.type_string() }}) as region,
        email,
        phone
    from support_tickets

    union all

    select
        'shop_orders' as source_table,
        order_id as source_record_id,
        cast(null as {{ dbt.type_string() }}) as first_name,
        cast(null as {{ dbt.type_string() }}) as last_name,
        cast(null as date) as date_of_birth,
        ship_address_line1 as address_line,
        ship_postcode_normalized as postcode,
        ship_city as city,
        cast(null as {{ dbt.type_string() }}) as region,
        email,
        phone
    from shop_orders
),

usable_values as (
    select
        nodes.identifier_type,
        nodes.identifier_value
    from nodes
    left join bridge_hubs
        on nodes.node_id = bridge_hubs.node_id
    where
        nodes.identifier_type in ('email', 'phone')
        and bridge_hubs.node_id is null
),

record_components as (
    select
        record_identifiers.source_table,
        record_identifiers.source_record_id,
        min(components.component_id) as component_id,
        count(distinct components.component_id) as component_count
    from record_identifiers
    inner join components
        on record_identifiers.node_id = components.node_id
    -- The tables of described_persons only (events are no person records).
    where record_identifiers.source_table in {{ personagraph.sql_list(person_record_tables) }}
    group by record_identifiers.source_table, record_identifiers.source_record_id
),

normalized as (
    select
        described_persons.source_table,
        described_persons.source_record_id,
        case
            when first_placeholders.placeholder is null and whole_placeholders.placeholder is null
                then nullif(described_persons.first_name, '')
        end as first_name,
        case
            when last_placeholders.placeholder is null and whole_placeholders.placeholder is null
                then nullif(described_persons.last_name, '')
        end as last_name,
        described_persons.date_of_birth,
        {{ personagraph.address_words('described_persons.address_line') }} as address_words,
        nullif(described_persons.postcode, '') as postcode,
        {{ personagraph.normalize_name('described_persons.city') }} as city,
        {{ personagraph.normalize_name('described_persons.region') }} as region,
        usable_emails.identifier_value as email,
        usable_phones.identifier_value as phone,
        record_components.component_id,
        coalesce(record_components.component_count, 0) as component_count
    from described_persons
    left join usable_values as usable_emails
        on
            usable_emails.identifier_type = 'email'
            and described_persons.email = usable_emails.identifier_value
    left join usable_values as usable_phones
        on
            usable_phones.identifier_type = 'phone'
            and described_persons.phone = usable_phones.identifier_value
    left join record_components
        on
            described_persons.source_table = record_components.source_table
            and described_persons.source_record_id = record_components.source_record_id
    left join placeholder_names as first_placeholders
        on described_persons.first_name = first_placeholders.placeholder
    left join placeholder_names as last_placeholders
        on described_persons.last_name = last_placeholders.placeholder
    left join placeholder_names as whole_placeholders
        on described_persons.first_name || ' ' || described_persons.last_name = whole_placeholders.placeholder
),

-- Abbreviations written in full in three steps (macro normalize_address in one).
spelled_first as (
    select
        *,
        {{ personagraph.spell_out_address_words('address_words', 0) }} as address_first_part
    from normalized
),

spelled_second as (
    select
        *,
        {{ personagraph.spell_out_address_words('address_first_part', 1) }} as address_second_part
    from spelled_first
),

spelled as (
    select
        *,
        nullif(trim({{ personagraph.spell_out_address_words('address_second_part', 2) }}), '') as address
    from spelled_second
),

shaped as (
    select
        {{ personagraph.hash_to_bigint("source_table || ':' || source_record_id") }} as record_key,
        source_table,
        source_record_id,
        first_name,
        last_name,
        substr(first_name, 1, 1) as first_initial,
        {{ personagraph.sound_code('last_name') }} as last_name_sound,
        date_of_birth,
        year(date_of_birth) as birth_year,
        address,
        {{ personagraph.address_house_number('address') }} as house_number,
        {{ personagraph.address_street_words('address') }} as street,
        postcode,
        -- The postcode's district: all but its last three characters (GB "CB202ED" ->
        -- "CB20"); codes of five characters or fewer have none.
        case when length(postcode) > 5 then substr(postcode, 1, length(postcode) - 3) end
            as postcode_district,
        city,
        region,
        email,
        split_part(email, '@', 1) as email_local_part,
        phone,
        component_id
    from spelled
    where component_count <= 1
),

-- Term frequencies: the share of person records holding the same value.
final as (
    select
        *,
        {{ personagraph.term_frequencies(['first_name', 'last_name', 'postcode', 'city']) }}
    from shaped
)

select * from final
