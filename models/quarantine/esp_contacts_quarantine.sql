-- One row per raw row of esp_contacts that is not used, with the rule it broke.
{{ personagraph.quarantine_rows('base_esp__contacts', 'esp', 'esp_contacts') }}
