-- One row per raw row of esp_events that is not used, with the rule it broke.
{{ personagraph.quarantine_rows('base_esp__events', 'esp', 'esp_events') }}
