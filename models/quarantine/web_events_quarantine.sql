-- One row per raw row of web_events that is not used, with the rule it broke.
{{ personagraph.quarantine_rows('base_web__events', 'web', 'web_events') }}
