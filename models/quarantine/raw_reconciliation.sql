-- One row per raw table: raw rows = used rows + quarantined rows + removed exact copies.
-- raw rows are the rows the loader parsed plus the CSV lines it could not parse.
{%- set tables = [
    ('web_events', 'stg_web__events', 'base_web__events'),
    ('app_events', 'stg_app__events', 'base_app__events'),
    ('shop_customers', 'stg_shop__customers', 'base_shop__customers'),
    ('shop_orders', 'stg_shop__orders', 'base_shop__orders'),
    ('order_lines', 'stg_shop__order_lines', 'base_shop__order_lines'),
    ('products', 'stg_shop__products', 'base_shop__products'),
    ('esp_contacts', 'stg_esp__contacts', 'base_esp__contacts'),
    ('esp_events', 'stg_esp__events', 'base_esp__events'),
    ('crm_contacts', 'stg_crm__contacts', 'base_crm__contacts'),
    ('support_tickets', 'stg_support__tickets', 'base_support__tickets'),
    ('loyalty_members', 'stg_loyalty__members', 'base_loyalty__members'),
    ('enrichment_profiles', 'stg_enrichment__profiles', 'base_enrichment__profiles'),
    ('consent_events', 'stg_privacy__consent_events', 'base_privacy__consent_events'),
    ('privacy_requests', 'stg_privacy__requests', 'base_privacy__requests')
] %}

with

load_log as (
    select * from {{ source('raw_loader', '_load_log') }}
),

counts as (
    {%- for raw_table, staging_model, base_model in tables %}
        select
            '{{ raw_table }}' as source_table,
            (select count(*) from {{ ref(staging_model) }}) as used_rows,
            (select count(*) from {{ ref(raw_table ~ '_quarantine') }}) as quarantined_rows,
            (select coalesce(sum(copy_count - 1), 0) from {{ ref(base_model) }}) as exact_copies_removed
        {%- if not loop.last %}
        union all  -- noqa: LT02
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        counts.source_table,
        load_log.status as load_status,
        load_log.file_format,
        coalesce(load_log.rows_loaded, 0) + coalesce(load_log.lines_rejected, 0) as raw_rows,
        counts.used_rows,
        counts.quarantined_rows,
        counts.exact_copies_removed,
        coalesce(load_log.rows_loaded, 0) + coalesce(load_log.lines_rejected, 0)
        = counts.used_rows + counts.quarantined_rows + counts.exact_copies_removed as is_balanced
    from counts
    left join load_log
        on counts.source_table = load_log.table_name
)

select * from final
