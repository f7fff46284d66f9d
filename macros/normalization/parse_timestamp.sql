{#- A timestamp in UTC from text in any of the accepted shapes, or null:
    ISO 8601 with or without time, 'T' or space, fractions and an offset ('Z',
    '+01:00'), converted to UTC; ISO 8601's basic date yyyymmdd (eight digits: a
    day-first ddmmyyyy read that way would have month 19 or 20, so it is never
    misread); dd/mm/yyyy [HH:MM[:SS]] (or mm/dd/yyyy when var
    normalize__date_order is 'month_first'), also with '-' or '.' separators.
    Impossible dates (29 February 2023) and values outside
    normalize__min_date..normalize__max_date give null. -#}
{% macro parse_timestamp(expression, already_clean=false) -%}
    {%- set text = personagraph.as_clean_text(expression, already_clean) -%}
    {%- set parsed = adapter.dispatch('parse_timestamp_text', 'personagraph')(text) -%}
    case
        when ({{ parsed }}) >= cast('{{ var("normalize__min_date") }}' as timestamp)
            and ({{ parsed }}) < cast('{{ var("normalize__max_date") }}' as timestamp) + interval 1 day
            then {{ parsed }}
    end
{%- endmacro %}

{#- A date, from the same shapes as parse_timestamp (a time part is dropped). -#}
{% macro parse_date(expression, already_clean=false) -%}
    cast({{ personagraph.parse_timestamp(expression, already_clean) }} as date)
{%- endmacro %}

{% macro date_order() -%}
    {%- set order = var('normalize__date_order', 'day_first') -%}
    {%- if order not in ('day_first', 'month_first') -%}
        {{ exceptions.raise_compiler_error(
            "var normalize__date_order must be 'day_first' or 'month_first', not '" ~ order ~ "'"
        ) }}
    {%- endif -%}
    {{ return(order) }}
{%- endmacro %}

{% macro duckdb__parse_timestamp_text(text) -%}
    {%- set order = personagraph.date_order() -%}
    {%- set dm = '%d/%m/%Y' if order == 'day_first' else '%m/%d/%Y' -%}
    {%- set formats = [
        '%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M:%S.%f', '%Y-%m-%dT%H:%M:%S.%f',
        '%Y-%m-%d %H:%M', '%Y-%m-%dT%H:%M', '%Y-%m-%d',
        dm ~ ' %H:%M:%S', dm ~ ' %H:%M', dm,
        dm.replace('/', '-') ~ ' %H:%M:%S', dm.replace('/', '-') ~ ' %H:%M', dm.replace('/', '-'),
        dm.replace('/', '.') ~ ' %H:%M:%S', dm.replace('/', '.') ~ ' %H:%M', dm.replace('/', '.'),
    ] -%}
    case
        when regexp_matches({{ text }}, '^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)$')
            then cast(timezone('UTC', try_cast(regexp_replace({{ text }}, '\s*Z$', '+00:00') as timestamptz)) as timestamp)
        when regexp_matches({{ text }}, '^\d{4}-\d{2}-\d{2}') then coalesce(try_cast({{ text }} as timestamp), try_strptime({{ text }}, [
            {%- for format in formats[:7] %}'{{ format }}'{{ ', ' if not loop.last }}{% endfor -%}
        ]))
        when regexp_matches({{ text }}, '^\d{8}$') then try_strptime({{ text }}, '%Y%m%d')
        else try_strptime({{ text }}, [
            {%- for format in formats[7:] %}'{{ format }}'{{ ', ' if not loop.last }}{% endfor -%}
        ])
    end
{%- endmacro %}

{#- Spark: ISO text through try_cast (offsets converted to the UTC session time zone),
    the other shapes through try_to_timestamp patterns, so that text in another shape or
    an impossible date gives null, not an error, with ANSI mode on or off (Databricks SQL
    has it on); spark.sql.legacy.timeParserPolicy CORRECTED (set in profiles.yml) keeps
    the patterns strict. Day and month may have one digit, as DuckDB's %d and %m accept. -#}
{% macro spark__parse_timestamp_text(text) -%}
    {%- set order = personagraph.date_order() -%}
    {%- set dm = 'd/M/yyyy' if order == 'day_first' else 'M/d/yyyy' -%}
    {%- set formats = [
        'yyyy-MM-dd HH:mm:ss', "yyyy-MM-dd'T'HH:mm:ss", 'yyyy-MM-dd HH:mm:ss.SSSSSS', "yyyy-MM-dd'T'HH:mm:ss.SSSSSS",
        'yyyy-MM-dd HH:mm', "yyyy-MM-dd'T'HH:mm", 'yyyy-MM-dd',
        dm ~ ' H:mm:ss', dm ~ ' H:mm', dm,
        dm.replace('/', '-') ~ ' H:mm:ss', dm.replace('/', '-') ~ ' H:mm', dm.replace('/', '-'),
        dm.replace('/', '.') ~ ' H:mm:ss', dm.replace('/', '.') ~ ' H:mm', dm.replace('/', '.'),
    ] -%}
    case
        when {{ text }} rlike '^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?\\s*(Z|[+-]\\d{2}(:?\\d{2})?)$'
            then try_cast(regexp_replace({{ text }}, '\\s*Z$', '+00:00') as timestamp)
        when {{ text }} rlike '^\\d{4}-\\d{2}-\\d{2}' then coalesce(
            {%- for format in formats[:7] %}
            try_to_timestamp({{ text }}, "{{ format }}"){{ ',' if not loop.last }}
            {%- endfor %}
        )
        when {{ text }} rlike '^\\d{8}$' then try_to_timestamp({{ text }}, 'yyyyMMdd')
        else coalesce(
            {%- for format in formats[7:] %}
            try_to_timestamp({{ text }}, '{{ format }}'){{ ',' if not loop.last }}
            {%- endfor %}
        )
    end
{%- endmacro %}
