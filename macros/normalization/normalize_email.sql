{#- An email address trimmed and lower-cased; null when it is not shaped like an
    address (one @, something before it, a dot in the domain, no spaces).
    Plus-addressing (jane+news@x.com) is kept: it is part of the address. -#}
{% macro normalize_email(expression) -%}
    case
        when {{ personagraph.regex_matches(
            'lower(' ~ personagraph.clean_text(expression) ~ ')', '^[^@\\s]+@[^@\\s]+\\.[^@\\s.]+$'
        ) }}
            then lower({{ personagraph.clean_text(expression) }})
    end
{%- endmacro %}
