-- One row per usable record of every raw table that carries a record id (the children
-- esp_events, order_lines and consent_events have none of their own). Versions of a
-- record collapse into one row.

with

web_events as (
    select * from {{ ref('stg_web__events') }}
),

app_events as (
    select * from {{ ref('stg_app__events') }}
),

shop_customers as (
    select * from {{ ref('stg_shop__customers') }}
),

shop_orders as (
    select * from {{ ref('stg_shop__orders') }}
),

esp_contacts as (
    select * from {{ ref('stg_esp__contacts') }}
),

crm_contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

support_tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

loyalty_members as (
    select * from {{ ref('stg_loyalty__members') }}
),

single_version_records as (
    select
        'web_events' as source_table,
        event_id as source_record_id,
        event_at as first_recorded_at,
        event_at as last_recorded_at
    from web_events
    union all
    select
        'app_events' as source_table,
        event_id as source_record_id,
        event_at as first_recorded_at,
        event_at as last_recorded_at
    from app_events
    union all
    select
        'shop_orders' as source_table,
        order_id as source_record_id,
        ordered_at as first_recorded_at,
        ordered_at as last_recorded_at
    from shop_orders
    union all
    select
        'esp_contacts' as source_table,
        esp_record_id as source_record_id,
        coalesce(subscribed_at, unsubscribed_at) as first_recorded_at,
        coalesce(subscribed_at, unsubscribed_at) as last_recorded_at
    from esp_contacts
    union all
    select
        'support_tickets' as source_table,
        ticket_id as source_record_id,
        created_at as first_recorded_at,
        created_at as last_recorded_at
    from support_tickets
    union all
    select
        'loyalty_members' as source_table,
        loyalty_id as source_record_id,
        joined_at as first_recorded_at,
        joined_at as last_recorded_at
    from loyalty_members
),

versioned_records as (
    select
        'shop_customers' as source_table,
        customer_id as source_record_id,
        coalesce(updated_at, created_at) as recorded_at
    from shop_customers
    union all
    select
        'crm_contacts' as source_table,
        contact_id as source_record_id,
        updated_at as recorded_at
    from crm_contacts
),

final as (
    select * from single_version_records
    union all
    select
        source_table,
        source_record_id,
        min(recorded_at) as first_recorded_at,
        max(recorded_at) as last_recorded_at
    from versioned_records
    group by source_table, source_record_id
)

select * from final
