-- One row per candidate pair of person records (left_key < right_key): records that
-- agree on every key of at least one blocking rule (var matching__blocking_rules).
-- blocking_rule is the first rule, in the var's order, that found the pair. Blocks
-- larger than matching__max_block_size are skipped (see int_match_blocking_report).

{%- set rules = var('matching__blocking_rules') %}

with

person_records as (
    select * from {{ ref('int_match_person_records') }}
),

{% for rule in rules %}
rule_{{ loop.index }}_blocks as (
    select
        record_key,
        {{ rule['keys'] | join(', ') }},
        count(*) over (partition by {{ rule['keys'] | join(', ') }}) as block_size
    from person_records
    where {% for key in rule['keys'] %}{{ key }} is not null{{ ' and ' if not loop.last }}{% endfor %}
),

rule_{{ loop.index }}_pairs as (
    select
        left_records.record_key as left_key,
        right_records.record_key as right_key,
        {{ loop.index }} as rule_rank
    from rule_{{ loop.index }}_blocks as left_records
    inner join rule_{{ loop.index }}_blocks as right_records
        on
            {% for key in rule['keys'] -%}
            left_records.{{ key }} = right_records.{{ key }}
            and {% endfor -%}
            left_records.record_key < right_records.record_key
    where left_records.block_size <= {{ var('matching__max_block_size') }}
),

{% endfor %}
all_pairs as (
    {% for rule in rules -%}
    select * from rule_{{ loop.index }}_pairs
    {% if not loop.last %}union all
    {% endif %}
    {%- endfor %}
),

final as (
    select
        left_key,
        right_key,
        case min(rule_rank)
            {%- for rule in rules %}
            when {{ loop.index }} then '{{ rule.name }}'
            {%- endfor %}
        end as blocking_rule
    from all_pairs
    group by left_key, right_key
)

select * from final
