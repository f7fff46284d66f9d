-- One row per raw row of loyalty_members that is not used, with the rule it broke.
{{ personagraph.quarantine_rows('base_loyalty__members', 'loyalty', 'loyalty_members') }}
