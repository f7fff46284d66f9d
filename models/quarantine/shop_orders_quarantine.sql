-- One row per raw row of shop_orders that is not used, with the rule it broke.
{{ personagraph.quarantine_rows('base_shop__orders', 'shop', 'shop_orders') }}
