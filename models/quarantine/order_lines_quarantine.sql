-- One row per raw row of order_lines that is not used, with the rule it broke.
{{ personagraph.quarantine_rows('base_shop__order_lines', 'shop', 'order_lines') }}
