{#- Fails for every non-null value that does not match the regular expression. -#}
{% test matches_pattern(model, column_name, pattern) %}

select {{ column_name }}
from {{ model }}
where
    {{ column_name }} is not null
    and not {{ personagraph.regex_matches(column_name, pattern) }}

{% endtest %}
