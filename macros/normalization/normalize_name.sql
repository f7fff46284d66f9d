{#- Letters with diacritics folded to plain ASCII letters with one portable
    translate() (identical on every engine). -#}
{% macro fold_accents(expression) -%}
    translate(
        {{ expression }},
        'áàâäãåāăąçćčďđéèêëēėęěğíìîïīįıłľĺñńňóòôöõøōőŕřśšşșťţțúùûüūůűųýÿžźżæœßðþọạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ',
        'aaaaaaaaacccddeeeeeeeegiiiiiiilllnnnoooooooorrsssstttuuuuuuuuyyzzzaosdtoaaaaaaaaaaaaaeeeeeeeeiiooooooooooouuuuuuuyyyy'
    )
{%- endmacro %}

{#- A name as clean matching tokens: lower case, accents folded, apostrophes
    dropped, every other non-letter a separator, single spaces.
    "  O'Brien-Smith, Zoë " -> "obrien smith zoe"; "M. Kelly" -> "m kelly". -#}
{% macro normalize_name(expression, already_clean=false) -%}
    nullif(trim({{ personagraph.regex_replace_all(
        personagraph.regex_replace_all(
            personagraph.fold_accents('lower(' ~ personagraph.as_clean_text(expression, already_clean) ~ ')'),
            "[''’`]", ''
        ),
        '[^a-z]+', ' '
    ) }}), '')
{%- endmacro %}
