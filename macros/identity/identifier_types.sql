{#- Identifier types, their class and priority.
    known: identifies a person in a system of record; anonymous: identifies a device.
    priority: lower wins when choosing a record's or a cluster's anchor identifier, so
    a person's id derives from their most durable identifier. personal: the value is
    personal data (hashed in guard logs). -#}
{% macro identifier_types() -%}
    {{ return({
        'customer_id':         {'class': 'known', 'priority': 1, 'personal': false},
        'crm_contact_id':      {'class': 'known', 'priority': 2, 'personal': false},
        'loyalty_id':          {'class': 'known', 'priority': 3, 'personal': false},
        'email':               {'class': 'known', 'priority': 4, 'personal': true},
        'phone':               {'class': 'known', 'priority': 5, 'personal': true},
        'esp_record_id':       {'class': 'known', 'priority': 6, 'personal': false},
        'payment_fingerprint': {'class': 'known', 'priority': 7, 'personal': false},
        'device_id':           {'class': 'anonymous', 'priority': 8, 'personal': false},
        'anonymous_id':        {'class': 'anonymous', 'priority': 9, 'personal': false},
        'record':              {'class': 'record', 'priority': 10, 'personal': false},
    }) }}
{%- endmacro %}

{#- The priority of an identifier type as a SQL expression. -#}
{% macro identifier_type_priority(type_expression) -%}
    case {{ type_expression }}
        {%- for name, info in personagraph.identifier_types().items() | sort(attribute='1.priority') %}
        when '{{ name }}' then {{ info.priority }}
        {%- endfor %}
        else 99
    end
{%- endmacro %}

{#- The class (known, anonymous, record) of an identifier type as a SQL expression. -#}
{% macro identifier_type_class(type_expression) -%}
    case {{ type_expression }}
        {%- for name, info in personagraph.identifier_types().items() | sort(attribute='1.priority') %}
        when '{{ name }}' then '{{ info.class }}'
        {%- endfor %}
    end
{%- endmacro %}

{#- An identifier value as it may appear in logs and guard tables: personal values
    (emails, phones) are replaced by the first 16 hex digits of their md5. -#}
{% macro masked_identifier_value(type_expression, value_expression) -%}
    case
        when {{ type_expression }} in (
            {%- for name, info in personagraph.identifier_types().items() | sort if info.personal -%}
            '{{ name }}'{{ ', ' if not loop.last }}
            {%- endfor -%}
        )
            then 'md5:' || substr(md5({{ value_expression }}), 1, 16)
        else {{ value_expression }}
    end
{%- endmacro %}
