-- One row per raw row of app_events that is not used, with the rule it broke.
{{ personagraph.quarantine_rows('base_app__events', 'app', 'app_events') }}
