{#- Calling code, national trunk prefix and national number lengths of the countries
    the default-country var may name. Numbers written with a + or 00 prefix need no
    entry here: any country code is accepted. -#}
{% macro phone_country_rules() -%}
    {{ return({
        'GB': {'code': '44', 'trunk': '0', 'min': 9, 'max': 10},
        'IE': {'code': '353', 'trunk': '0', 'min': 7, 'max': 9},
        'US': {'code': '1', 'trunk': '1', 'min': 10, 'max': 10},
        'CA': {'code': '1', 'trunk': '1', 'min': 10, 'max': 10},
        'DE': {'code': '49', 'trunk': '0', 'min': 6, 'max': 11},
        'FR': {'code': '33', 'trunk': '0', 'min': 9, 'max': 9},
        'NL': {'code': '31', 'trunk': '0', 'min': 9, 'max': 9},
        'ES': {'code': '34', 'trunk': '', 'min': 9, 'max': 9},
        'AU': {'code': '61', 'trunk': '0', 'min': 9, 'max': 9},
        'NZ': {'code': '64', 'trunk': '0', 'min': 8, 'max': 10},
    }) }}
{%- endmacro %}

{#- A phone number in E.164 ('+' and 8 to 15 digits), or null when it cannot be one.
    - '+44 (0)7700 900123', '0044 7700 900123': international, the '(0)' dropped;
    - '07700 900123', '(0)7700-900-123', '7700900123': national numbers of the default
      country (var normalize__default_country), trunk prefix dropped;
    - '447700900123': the default country's code written without '+'.
    Extensions ('x123', 'ext. 4') are dropped. -#}
{% macro normalize_phone(expression, default_country=none, already_clean=false) -%}
    {%- set country = (default_country or var('normalize__default_country', 'GB')) | upper -%}
    {%- set rules = personagraph.phone_country_rules() -%}
    {%- if country not in rules -%}
        {{ exceptions.raise_compiler_error(
            "normalize_phone: no phone rules for default country '" ~ country
            ~ "'; known: " ~ rules.keys() | sort | join(', ')
        ) }}
    {%- endif -%}
    {%- set rule = rules[country] -%}
    {%- set without_extension = personagraph.regex_replace_all(
        'lower(' ~ personagraph.as_clean_text(expression, already_clean) ~ ')', '\\s*(ext\\.?|x|#)\\s*[0-9]+$', ''
    ) -%}
    {%- set without_trunk_note = personagraph.regex_replace_all(without_extension, '\\(0\\)', '') -%}
    {%- set digits = personagraph.regex_replace_all(without_trunk_note, '[^0-9]', '') -%}
    {%- set is_international = personagraph.regex_matches(without_trunk_note, '^\\s*(\\+|00)') -%}
    {%- set international_digits = personagraph.regex_replace_all(digits, '^00', '') -%}
    case
        when {{ personagraph.regex_matches(without_extension, '[a-z]') }} then null
        when {{ is_international }} then
            case
                when {{ personagraph.regex_matches(international_digits, '^[1-9][0-9]{7,14}$') }}
                    then '+' || {{ international_digits }}
            end
        {%- if rule.trunk %}
        when substr({{ digits }}, 1, {{ rule.trunk | length }}) = '{{ rule.trunk }}'
            and length({{ digits }}) between {{ rule.min + rule.trunk | length }} and {{ rule.max + rule.trunk | length }}
            and not (
                substr({{ digits }}, 1, {{ rule.code | length }}) = '{{ rule.code }}'
                and length({{ digits }}) between {{ rule.min + rule.code | length }} and {{ rule.max + rule.code | length }}
                and '{{ rule.trunk }}' != '{{ rule.code }}'
            )
            then '+{{ rule.code }}' || substr({{ digits }}, {{ rule.trunk | length + 1 }})
        {%- endif %}
        when substr({{ digits }}, 1, {{ rule.code | length }}) = '{{ rule.code }}'
            and length({{ digits }}) between {{ rule.min + rule.code | length }} and {{ rule.max + rule.code | length }}
            then '+' || {{ digits }}
        when {{ personagraph.regex_matches(digits, '^[1-9]') }}
            and length({{ digits }}) between {{ rule.min }} and {{ rule.max }}
            then '+{{ rule.code }}' || {{ digits }}
    end
{%- endmacro %}
