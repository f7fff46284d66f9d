{#- true for true/t/yes/y/1/on, false for false/f/no/n/0/off (any case), else null. -#}
{% macro parse_boolean(expression, already_clean=false) -%}
    case
        when lower({{ personagraph.as_clean_text(expression, already_clean) }}) in ('true', 't', 'yes', 'y', '1', 'on') then true
        when lower({{ personagraph.as_clean_text(expression, already_clean) }}) in ('false', 'f', 'no', 'n', '0', 'off') then false
    end
{%- endmacro %}

{#- A decimal amount (two places by default); thousands separators are accepted
    ('1,234.50'); anything else unparseable gives null. -#}
{% macro parse_decimal(expression, precision=18, scale=2, already_clean=false) -%}
    {%- set text = personagraph.as_clean_text(expression, already_clean) -%}
    case
        when {{ personagraph.regex_matches(text, '^-?[0-9]{1,3}(,[0-9]{3})+([.][0-9]+)?$') }}
            then try_cast(replace({{ text }}, ',', '') as decimal({{ precision }}, {{ scale }}))
        else try_cast({{ text }} as decimal({{ precision }}, {{ scale }}))
    end
{%- endmacro %}

{#- A whole number, or null (a decimal point gives null, not a rounded value). -#}
{% macro parse_integer(expression, already_clean=false) -%}
    try_cast({{ personagraph.as_clean_text(expression, already_clean) }} as bigint)
{%- endmacro %}

{#- A code from a closed list, lower-cased and trimmed; null when not in the list. -#}
{% macro accepted_code(expression, accepted, already_clean=false) -%}
    case
        when lower({{ personagraph.as_clean_text(expression, already_clean) }}) in (
            {%- for value in accepted %}'{{ value }}'{{ ', ' if not loop.last }}{% endfor -%}
        )
            then lower({{ personagraph.as_clean_text(expression, already_clean) }})
    end
{%- endmacro %}

{#- A postcode for matching: upper case, no spaces or punctuation. -#}
{% macro normalize_postcode(expression, already_clean=false) -%}
    nullif(upper({{ personagraph.regex_replace_all(personagraph.as_clean_text(expression, already_clean), '[^A-Za-z0-9]', '') }}), '')
{%- endmacro %}

{#- A country as an ISO 3166 alpha-2 code from a code or a common English name. -#}
{% macro normalize_country(expression, already_clean=false) -%}
    {%- set names = {
        'UNITED KINGDOM': 'GB', 'UK': 'GB', 'GREAT BRITAIN': 'GB', 'ENGLAND': 'GB', 'SCOTLAND': 'GB',
        'WALES': 'GB', 'NORTHERN IRELAND': 'GB', 'IRELAND': 'IE', 'UNITED STATES': 'US', 'USA': 'US',
        'UNITED STATES OF AMERICA': 'US', 'GERMANY': 'DE', 'DEUTSCHLAND': 'DE', 'FRANCE': 'FR',
        'AUSTRALIA': 'AU', 'NETHERLANDS': 'NL', 'SPAIN': 'ES', 'CANADA': 'CA', 'NEW ZEALAND': 'NZ',
    } -%}
    case upper({{ personagraph.as_clean_text(expression, already_clean) }})
        {%- for name, code in names | dictsort %}
        when '{{ name }}' then '{{ code }}'
        {%- endfor %}
        else case
            when {{ personagraph.regex_matches('upper(' ~ personagraph.as_clean_text(expression, already_clean) ~ ')', '^[A-Z]{2}$') }}
                then upper({{ personagraph.as_clean_text(expression, already_clean) }})
        end
    end
{%- endmacro %}
