-- One row per raw row of products that is not used, with the rule it broke.
{{ personagraph.quarantine_rows('base_shop__products', 'shop', 'products') }}
