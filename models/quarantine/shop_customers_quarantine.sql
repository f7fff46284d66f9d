-- One row per raw row of shop_customers that is not used, with the rule it broke.
{{ personagraph.quarantine_rows('base_shop__customers', 'shop', 'shop_customers') }}
