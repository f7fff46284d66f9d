-- One row per raw row of consent_events that is not used, with the rule it broke.
{{ personagraph.quarantine_rows('base_privacy__consent_events', 'privacy', 'consent_events') }}
