-- One row per raw row of privacy_requests that is not used, with the rule it broke.
{{ personagraph.quarantine_rows('base_privacy__requests', 'privacy', 'privacy_requests') }}
