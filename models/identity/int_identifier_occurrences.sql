-- One row per identifier occurrence on a staged record: the record, the identifier
-- (typed and normalised), when it was seen, and the rule and strength of the tie
-- between the identifier and the record's other identifiers.
-- Weak ties (an ESP record id captured from a click-through link, which may have been
-- forwarded) may attach a device to one person but never merge two known people.

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

web_occurrences as (
    {{ personagraph.identifier_occurrences('web_events', 'web_events', 'event_id', 'event_at', [
        {'column': 'anonymous_id', 'type': 'anonymous_id', 'rule': 'web_cookie'},
        {'column': 'user_id', 'type': 'customer_id', 'rule': 'web_login'},
        {'column': 'email', 'type': 'email', 'rule': 'web_form_email'},
        {'column': 'esp_record_id', 'type': 'esp_record_id', 'rule': 'email_click_through', 'strength': 'weak'},
    ]) }}
),

app_occurrences as (
    {{ personagraph.identifier_occurrences('app_events', 'app_events', 'event_id', 'event_at', [
        {'column': 'device_id', 'type': 'device_id', 'rule': 'app_device'},
        {'column': 'user_id', 'type': 'customer_id', 'rule': 'app_login'},
    ]) }}
),

customer_occurrences as (
    {{ personagraph.identifier_occurrences(
        'shop_customers', 'shop_customers', 'customer_id', 'coalesce(updated_at, created_at)', [
        {'column': 'customer_id', 'type': 'customer_id', 'rule': 'shop_account'},
        {'column': 'email', 'type': 'email', 'rule': 'shop_account_email'},
        {'column': 'phone', 'type': 'phone', 'rule': 'shop_account_phone'},
    ]) }}
),

order_occurrences as (
    {{ personagraph.identifier_occurrences('shop_orders', 'shop_orders', 'order_id', 'ordered_at', [
        {'column': 'customer_id', 'type': 'customer_id', 'rule': 'order_customer'},
        {'column': 'email', 'type': 'email', 'rule': 'order_email'},
        {'column': 'phone', 'type': 'phone', 'rule': 'order_phone'},
        {'column': 'loyalty_id', 'type': 'loyalty_id', 'rule': 'order_loyalty_card'},
        {'column': 'payment_fingerprint', 'type': 'payment_fingerprint', 'rule': 'order_payment_card'},
    ]) }}
),

esp_occurrences as (
    {{ personagraph.identifier_occurrences(
        'esp_contacts', 'esp_contacts', 'esp_record_id', 'coalesce(subscribed_at, unsubscribed_at)', [
        {'column': 'esp_record_id', 'type': 'esp_record_id', 'rule': 'esp_contact'},
        {'column': 'email', 'type': 'email', 'rule': 'esp_contact_email'},
    ]) }}
),

crm_occurrences as (
    {{ personagraph.identifier_occurrences('crm_contacts', 'crm_contacts', 'contact_id', 'updated_at', [
        {'column': 'contact_id', 'type': 'crm_contact_id', 'rule': 'crm_contact'},
        {'column': 'email', 'type': 'email', 'rule': 'crm_email'},
        {'column': 'personal_email', 'type': 'email', 'rule': 'crm_personal_email'},
        {'column': 'phone', 'type': 'phone', 'rule': 'crm_phone'},
    ]) }}
),

support_occurrences as (
    {{ personagraph.identifier_occurrences('support_tickets', 'support_tickets', 'ticket_id', 'created_at', [
        {'column': 'email', 'type': 'email', 'rule': 'support_email'},
        {'column': 'phone', 'type': 'phone', 'rule': 'support_phone'},
    ]) }}
),

loyalty_occurrences as (
    {{ personagraph.identifier_occurrences('loyalty_members', 'loyalty_members', 'loyalty_id', 'joined_at', [
        {'column': 'loyalty_id', 'type': 'loyalty_id', 'rule': 'loyalty_member'},
        {'column': 'email', 'type': 'email', 'rule': 'loyalty_email'},
        {'column': 'phone', 'type': 'phone', 'rule': 'loyalty_phone'},
    ]) }}
),

single_version_occurrences as (
    select * from web_occurrences
    union all
    select * from app_occurrences
    union all
    select * from order_occurrences
    union all
    select * from esp_occurrences
    union all
    select * from support_occurrences
    union all
    select * from loyalty_occurrences
),

versioned_occurrences as (
    select * from customer_occurrences
    union all
    select * from crm_occurrences
),

final as (
    -- Records with one version each (staging keeps their ids unique) need no grouping;
    -- versions of shop customers and CRM contacts collapse into one row per record.
    select
        source_table,
        source_record_id,
        identifier_type,
        identifier_value,
        {{ personagraph.identifier_type_class('identifier_type') }} as identifier_class,
        link_rule,
        link_strength,
        seen_at as first_seen_at,
        seen_at as last_seen_at,
        1 as occurrence_count
    from single_version_occurrences

    union all

    select
        source_table,
        source_record_id,
        identifier_type,
        identifier_value,
        {{ personagraph.identifier_type_class('identifier_type') }} as identifier_class,
        link_rule,
        link_strength,
        min(seen_at) as first_seen_at,
        max(seen_at) as last_seen_at,
        count(*) as occurrence_count
    from versioned_occurrences
    group by
        source_table,
        source_record_id,
        identifier_type,
        identifier_value,
        link_rule,
        link_strength
)

select * from final
