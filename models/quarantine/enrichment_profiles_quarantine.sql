-- One row per raw row of enrichment_profiles that is not used, with the rule it broke.
{{ personagraph.quarantine_rows('base_enrichment__profiles', 'enrichment', 'enrichment_profiles') }}
