-- One row per raw row of crm_contacts that is not used, with the rule it broke.
{{ personagraph.quarantine_rows('base_crm__contacts', 'crm', 'crm_contacts') }}
