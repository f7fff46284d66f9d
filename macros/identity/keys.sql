{#- A BIGINT graph key from text: the first 15 hex digits (60 bits) of its md5, so it is
    positive and identical on every engine (never an engine's own hash()). A test
    checks that no two identifiers share a key. -#}
{% macro hash_to_bigint(expression) -%}
    {{ return(adapter.dispatch('hash_to_bigint', 'personagraph')(expression)) }}
{%- endmacro %}

{% macro default__hash_to_bigint(expression) -%}
    cast(conv(substr(md5({{ expression }}), 1, 15), 16, 10) as bigint)
{%- endmacro %}

{% macro duckdb__hash_to_bigint(expression) -%}
    cast(('0x' || substr(md5({{ expression }}), 1, 15)) as bigint)
{%- endmacro %}

{#- The text an identifier is keyed and hashed by: '<type>:<value>'. -#}
{% macro identifier_key(type_expression, value_expression) -%}
    ({{ type_expression }} || ':' || {{ value_expression }})
{%- endmacro %}

{#- A person id: 'p_' and the first 16 hex digits of md5 of the anchor's key. -#}
{% macro person_id_from_anchor(type_expression, value_expression) -%}
    ('p_' || substr(md5({{ personagraph.identifier_key(type_expression, value_expression) }}), 1, 16))
{%- endmacro %}

{#- The node key of a record that has no accepted identifier of its own (a node of type
    'record'): the hash of 'record:<table>:<id>' over columns source_table and
    source_record_id. -#}
{% macro record_node_id() -%}
    {{ personagraph.hash_to_bigint("'record:' || source_table || ':' || source_record_id") }}
{%- endmacro %}

{#- The matching group of a person record (columns component_id, source_table,
    source_record_id): its deterministic component, else its own record node. -#}
{% macro match_group_id() -%}
    coalesce(component_id, {{ personagraph.record_node_id() }})
{%- endmacro %}
