{#- An email address trimmed and lower-cased; null when it is not shaped like an
    address: one @, a local part of the characters an unquoted address may hold
    (letters and digits of any script, and !#$%&'*+/=?^_`{|}~.-), a domain of
    letters, digits and hyphens with at least one dot. A spreadsheet formula
    (=HYPERLINK("...")@x.com), spaces, quotes, brackets and commas are no address.
    Plus-addressing (jane+news@x.com) is kept: it is part of the address. -#}
{% macro normalize_email(expression, already_clean=false) -%}
    {%- set word = '\\p{L}\\p{N}\\p{M}' -%}
    case
        when {{ personagraph.regex_matches(
            'lower(' ~ personagraph.as_clean_text(expression, already_clean) ~ ')',
            '^[' ~ word ~ '!#$%&\\x{27}*+/=?^_\\x{60}{|}~.-]+@([' ~ word ~ '-]+\\.)+[' ~ word ~ '-]+$'
        ) }}
            then lower({{ personagraph.as_clean_text(expression, already_clean) }})
    end
{%- endmacro %}
