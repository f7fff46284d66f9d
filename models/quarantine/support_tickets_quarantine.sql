-- One row per raw row of support_tickets that is not used, with the rule it broke.
{{ personagraph.quarantine_rows('base_support__tickets', 'support', 'support_tickets') }}
