{#- SQL generated from the matching configuration (blocking rules, comparisons, account
    limits) for the models in models/identity/matching. Kept here so that the models
    read as plain SQL. -#}

{#- Every candidate pair of a relation of person records, once per blocking rule that
    finds it: left_key < right_key, rule_rank (the rule's position in
    var matching__blocking_rules). Blocks above matching__max_block_size are skipped. -#}
{% macro blocked_pairs(relation) -%}
    {%- for rule in var('matching__blocking_rules') %}
    select
        left_records.record_key as left_key,
        right_records.record_key as right_key,
        {{ loop.index }} as rule_rank
    from {{ personagraph.blocking_rule_blocks(relation, rule) }} as left_records
    inner join {{ personagraph.blocking_rule_blocks(relation, rule) }} as right_records
        on
            {% for key in rule['keys'] -%}
            left_records.{{ key }} = right_records.{{ key }}
            and {% endfor -%}
            left_records.record_key < right_records.record_key
    where left_records.block_size <= {{ var('matching__max_block_size') }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- The records a blocking rule can block (all its keys present) with the size of their
    block, as a parenthesised subquery. -#}
{% macro blocking_rule_blocks(relation, rule) -%}
    (
        select
            record_key,
            {{ rule['keys'] | join(', ') }},
            count(*) over (partition by {{ rule['keys'] | join(', ') }}) as block_size
        from {{ relation }}
        where {% for key in rule['keys'] %}{{ key }} is not null{{ ' and ' if not loop.last }}{% endfor %}
    )
{%- endmacro %}

{#- Aggregate select items over blocked pairs (with rule_rank): found_by_<rule name>, 1 when
    the rule finds the pair, else 0. Rule names must be valid column name parts. -#}
{% macro found_by_rule_flags() -%}
    {%- for rule in var('matching__blocking_rules') %}
    max(case when rule_rank = {{ loop.index }} then 1 else 0 end) as found_by_{{ rule.name }},
    {%- endfor %}
{%- endmacro %}

{#- Select items found_by_<rule name> = 0 for every rule: pairs no blocking rule found. -#}
{% macro no_rule_flags() -%}
    {%- for rule in var('matching__blocking_rules') %}
    0 as found_by_{{ rule.name }},
    {%- endfor %}
{%- endmacro %}

{#- The found_by_<rule name> columns (select items or group by list). -#}
{% macro found_by_rule_columns() -%}
    {%- for rule in var('matching__blocking_rules') -%}
        found_by_{{ rule.name }}{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- The name of the blocking rule at a rank (SQL expression). -#}
{% macro blocking_rule_name(rank_expression) -%}
    case {{ rank_expression }}
        {%- for rule in var('matching__blocking_rules') %}
        when {{ loop.index }} then '{{ rule.name }}'
        {%- endfor %}
    end
{%- endmacro %}

{#- Per blocking rule: its blocks' counts over a relation of person records. -#}
{% macro blocking_block_counts(relation) -%}
    {%- set limit = var('matching__max_block_size') -%}
    {%- for rule in var('matching__blocking_rules') %}
    select
        {{ loop.index }} as rule_rank,
        '{{ rule.name }}' as blocking_rule,
        '{{ rule["keys"] | join(", ") }}' as blocking_keys,
        coalesce(sum(block_size), 0) as blocked_records,
        count(*) as blocks,
        coalesce(sum(case when block_size > {{ limit }} then 1 else 0 end), 0) as skipped_blocks,
        coalesce(sum(case when block_size > {{ limit }} then block_size else 0 end), 0)
            as records_in_skipped_blocks,
        coalesce(sum(case when block_size <= {{ limit }} then block_size * (block_size - 1) / 2 else 0 end), 0)
            as rule_pairs
    from (
        select count(*) as block_size
        from {{ relation }}
        where {% for key in rule['keys'] %}{{ key }} is not null{{ ' and ' if not loop.last }}{% endfor %}
        group by {{ rule['keys'] | join(', ') }}
    ) as blocks
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- One row per comparison and level of the registry: comparison, comparison_level,
    level_label, is_term_frequency_adjusted. -#}
{% macro comparison_level_rows() -%}
    {%- set rows = [] -%}
    {%- for comparison in personagraph.match_comparisons() -%}
        {%- for level, label in comparison.levels | dictsort -%}
            {%- do rows.append(
                "select '" ~ comparison.name ~ "' as comparison, " ~ level ~ " as comparison_level, '"
                ~ label ~ "' as level_label, " ~ ('true' if comparison.tf_level == level else 'false')
                ~ " as is_term_frequency_adjusted"
            ) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ rows | join('\n    union all\n    ') }}
{%- endmacro %}

{#- Pairs per comparison and level (levels >= 0) of a relation of compared pairs. -#}
{% macro comparison_level_counts(relation) -%}
    {%- for comparison in personagraph.match_comparisons() %}
    select
        '{{ comparison.name }}' as comparison,
        {{ comparison.name }}_level as comparison_level,
        count(*) as pair_count
    from {{ relation }}
    where {{ comparison.name }}_level >= 0
    group by {{ comparison.name }}_level
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- Scored comparisons: the pairs relation's columns plus <comparison>_weight for every
    comparison (the parameters' weight of its level, plus the term-frequency adjustment
    log2(u / frequency) at its adjusted level; 0 when the level is missing) and
    prior_weight. A complete select statement. -#}
{% macro weighted_comparisons(pairs, parameters) -%}
    {%- set comparisons = personagraph.match_comparisons() -%}
    select
        pairs.*,
        {%- for comparison in comparisons %}
        coalesce(
            {{ comparison.name }}_parameters.match_weight
            {%- if comparison.tf_level is not none %}
            + case
                when pairs.{{ comparison.name }}_level = {{ comparison.tf_level }}
                    then {{ personagraph.weight_bits(comparison.name ~ '_parameters.u_probability / pairs.' ~ comparison.name ~ '_tf') }}
                else 0
            end
            {%- endif %},
            0
        ) as {{ comparison.name }}_weight,
        {%- endfor %}
        {{ personagraph.weight_bits('prior_odds.prior_match_probability / (1 - prior_odds.prior_match_probability)') }} as prior_weight
    from {{ pairs }} as pairs
    cross join (
        select max(prior_match_probability) as prior_match_probability from {{ parameters }}
    ) as prior_odds
    {%- for comparison in comparisons %}
    left join {{ parameters }} as {{ comparison.name }}_parameters
        on
            {{ comparison.name }}_parameters.comparison = '{{ comparison.name }}'
            and pairs.{{ comparison.name }}_level = {{ comparison.name }}_parameters.comparison_level
    {%- endfor %}
{%- endmacro %}

{#- The two left joins of the name_nicknames seed (relation alias nicknames) that
    compare_person_records reads: nicknames_left_right (left's first name is the name,
    right's the nickname) and nicknames_right_left. -#}
{% macro nickname_joins(left, right) -%}
    left join nicknames as nicknames_left_right
        on
            {{ left }}.first_name = nicknames_left_right.name
            and {{ right }}.first_name = nicknames_left_right.nickname
    left join nicknames as nicknames_right_left
        on
            {{ right }}.first_name = nicknames_right_left.name
            and {{ left }}.first_name = nicknames_right_left.nickname
{%- endmacro %}

{#- Compared pairs (a relation with the comparison levels) scored with the parameters:
    every comparison's weight, prior_weight, match_weight and match_probability. -#}
{% macro scored_pairs(pairs, parameters) -%}
    select
        *,
        {{ personagraph.weight_probability('match_weight') }} as match_probability
    from (
        select
            *,
            {{ personagraph.total_match_weight() }} as match_weight
        from (
            {{ personagraph.weighted_comparisons(pairs, parameters) | indent(12) }}
        ) as weighted
    ) as summed
{%- endmacro %}

{#- prior_weight + every comparison's weight (columns of a relation alias, or bare). -#}
{% macro total_match_weight(alias=none) -%}
    {%- set prefix = alias ~ '.' if alias else '' -%}
    {{ prefix }}prior_weight
    {%- for comparison in personagraph.match_comparisons() %} + coalesce({{ prefix }}{{ comparison.name }}_weight, 0){% endfor %}
{%- endmacro %}

{#- The best agreement of every comparison over a group of compared pairs (aggregate
    select items): <comparison>_weight (of the levels present) and <comparison>_level. -#}
{% macro best_comparison_evidence() -%}
    {%- for comparison in personagraph.match_comparisons() %}
    max(case when {{ comparison.name }}_level >= 0 then {{ comparison.name }}_weight end)
        as {{ comparison.name }}_weight,
    max({{ comparison.name }}_level) as {{ comparison.name }}_level,
    {%- endfor %}
{%- endmacro %}

{#- The level and weight columns of every comparison of a relation alias, renamed with a
    prefix (select items): <prefix><comparison>_level, <prefix><comparison>_weight. -#}
{% macro prefixed_comparison_columns(alias, prefix) -%}
    {%- for comparison in personagraph.match_comparisons() %}
    {{ alias }}.{{ comparison.name }}_level as {{ prefix }}{{ comparison.name }}_level,
    {{ alias }}.{{ comparison.name }}_weight as {{ prefix }}{{ comparison.name }}_weight,
    {%- endfor %}
{%- endmacro %}

{#- best_comparison_evidence over two rows side by side, the unprefixed columns and the
    prefixed ones (which may be null: no second row): the higher level and weight of each
    comparison (greatest skips nulls on DuckDB and Spark alike). -#}
{% macro combined_comparison_evidence(prefix) -%}
    {%- for comparison in personagraph.match_comparisons() %}
    greatest({{ comparison.name }}_weight, {{ prefix }}{{ comparison.name }}_weight) as {{ comparison.name }}_weight,
    greatest({{ comparison.name }}_level, {{ prefix }}{{ comparison.name }}_level) as {{ comparison.name }}_level,
    {%- endfor %}
{%- endmacro %}

{#- The level and weight columns of every comparison of a relation alias (select items). -#}
{% macro comparison_evidence_columns(alias=none) -%}
    {%- set prefix = alias ~ '.' if alias else '' -%}
    {%- for comparison in personagraph.match_comparisons() %}
    {{ prefix }}{{ comparison.name }}_level,
    coalesce({{ prefix }}{{ comparison.name }}_weight, 0) as {{ comparison.name }}_weight,
    {%- endfor %}
{%- endmacro %}

{#- Number of identifiers of each type with an account limit (aggregate select items over
    a relation with identifier_type): <type>_count. -#}
{% macro account_type_counts(type_expression) -%}
    {%- for account_type in var('matching__account_limits') | sort %}
    sum(case when {{ type_expression }} = '{{ account_type }}' then 1 else 0 end) as {{ account_type }}_count,
    {%- endfor %}
{%- endmacro %}

{#- CASE branches rejecting a merge whose account counts exceed matching__account_limits:
    count_expression(type) gives the merged count of a type. -#}
{% macro account_limit_branches(left_alias, right_alias=none) -%}
    {%- for account_type, limit in var('matching__account_limits') | dictsort %}
    when
        coalesce({{ left_alias }}.{{ account_type }}_count, 0)
        {%- if right_alias %} + coalesce({{ right_alias }}.{{ account_type }}_count, 0){% endif %}
        > {{ limit }}
        then 'too_many_{{ account_type }}'
    {%- endfor %}
{%- endmacro %}

{#- The weight breakdown of a compared pair in words: "name: exact +10.2; ...; prior -9.5
    = +11.2 bits" (SQL text expression over a relation alias). -#}
{% macro match_evidence_text(alias) -%}
    {%- for comparison in personagraph.match_comparisons() %}
    case
        when {{ alias }}.{{ comparison.name }}_level >= 0
            then '{{ comparison.name }}: ' || case {{ alias }}.{{ comparison.name }}_level
                {%- for level, text in comparison.levels | dictsort %}
                when {{ level }} then '{{ text }}'
                {%- endfor %}
            end || ' ' || {{ personagraph.signed_number(alias ~ '.' ~ comparison.name ~ '_weight') }} || '; '
        else ''
    end ||
    {%- endfor %}
    'prior ' || {{ personagraph.signed_number(alias ~ '.prior_weight') }}
    || ' = ' || {{ personagraph.signed_number(alias ~ '.match_weight') }} || ' bits'
{%- endmacro %}

{#- The clustering mode (var matching__clustering) as a SQL string literal; fails the
    build on any other value. -#}
{% macro clustering_mode() -%}
    {%- set mode = var('matching__clustering') -%}
    {%- if mode not in ('connected', 'best_match') -%}
        {{ exceptions.raise_compiler_error(
            "var matching__clustering must be 'connected' or 'best_match', not '" ~ mode ~ "'"
        ) }}
    {%- endif -%}
    '{{ mode }}'
{%- endmacro %}

{#- Literal rows of estimated parameters (see estimate_match_parameters); with no
    estimate, an empty select from the fallback relation. -#}
{% macro estimated_parameter_rows(estimate, fallback) -%}
    {%- if estimate is none -%}
        {{ return('select * from ' ~ fallback ~ ' where false') }}
    {%- endif -%}
    {%- set rows = [] -%}
    {%- for comparison in personagraph.match_comparisons() -%}
        {%- for level in comparison.levels | sort | reverse -%}
            {%- do rows.append(
                "select '" ~ comparison.name ~ "' as comparison, " ~ level ~ " as comparison_level, "
                ~ ('%.15e' | format(estimate.m[comparison.name][level])) ~ " as m_probability, "
                ~ ('%.15e' | format(estimate.u[comparison.name].get(level, 1.0))) ~ " as u_probability, "
                ~ ('%.15e' | format(estimate.prior)) ~ " as prior_match_probability, "
                ~ "'estimated' as parameter_source, " ~ estimate.rounds ~ " as em_rounds, "
                ~ ('true' if estimate.converged else 'false') ~ " as em_converged"
            ) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ rows | join('\n    union all\n    ') }}
{%- endmacro %}

{#- The share of rows holding the same value among the rows that hold a value, per
    column (select items <column>_frequency; null where the value is null). -#}
{% macro term_frequencies(columns) -%}
    {%- for column in columns %}
    case
        when {{ column }} is not null
            then cast(count(*) over (partition by {{ column }}) as double) / count({{ column }}) over ()
    end as {{ column }}_frequency{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- log2 of a positive expression, rounded to 10 decimals: engines' log2 may differ in
    the last bit (Spark computes it through natural logarithms), and match weights must be
    the same on every engine so that sums, thresholds and explanations agree exactly. -#}
{% macro weight_bits(expression) -%}
    round(log2({{ expression }}), 10)
{%- endmacro %}

{#- The match probability of a match weight in bits, 1 / (1 + 2^-weight), rounded to 12
    decimals for the same reason. -#}
{% macro weight_probability(weight) -%}
    round(1.0 / (1.0 + power(2.0, -({{ weight }}))), 12)
{%- endmacro %}

{#- Pairs of different groups that hold the two values of a pair in the
    identity_declared_distinct seed (a complete select of left_group_id,
    right_group_id). group_identifiers: a relation of group_id, identifier_type,
    identifier_value; declared_distinct: the seed. -#}
{% macro declared_distinct_group_pairs(group_identifiers, declared_distinct) -%}
    select
        left_identifiers.group_id as left_group_id,
        right_identifiers.group_id as right_group_id
    from {{ declared_distinct }}
    inner join {{ group_identifiers }} as left_identifiers
        on
            {{ declared_distinct }}.identifier_type = left_identifiers.identifier_type
            and {{ declared_distinct }}.left_value = left_identifiers.identifier_value
    inner join {{ group_identifiers }} as right_identifiers
        on
            {{ declared_distinct }}.identifier_type = right_identifiers.identifier_type
            and {{ declared_distinct }}.right_value = right_identifiers.identifier_value
    where left_identifiers.group_id != right_identifiers.group_id
{%- endmacro %}

{#- The evidence between two groups over their compared record pairs (a complete select;
    one row per group pair src_id < dst_id): the best level and weight of every
    comparison, the prior weight, whether a record pair tells people apart, the best
    record pair (highest match weight, then lowest keys) and its weight, and the number of
    record pairs. pairs: a relation of scored record pairs; record_groups: a relation of
    record_key, group_id. Pairs within one group are left out. -#}
{% macro group_pair_evidence(pairs, record_groups) -%}
    {#- One value_of_least for both keys of the best pair (a struct), not one per key:
        the group pairs at 1,000,000 people took 72.9 s with two calls, 55.2 s with
        one. -#}
    {%- set best_pair_order = ['-match_weight', 'left_key', 'right_key'] -%}
    select
        {{ personagraph.star_except(['best_pair']) }},
        best_pair.left_key as best_left_key,
        best_pair.right_key as best_right_key
    from (
        select
            src_id,
            dst_id,
            {{ personagraph.best_comparison_evidence() | indent(8) }}
            max(prior_weight) as prior_weight,
            max(tells_people_apart) as tells_people_apart,
            max(match_weight) as best_pair_match_weight,
            {{ personagraph.value_of_least(
                personagraph.struct_of(['left_key', 'right_key']), best_pair_order
            ) }} as best_pair,
            count(*) as record_pair_count
        from (
            select
                {{ pairs }}.*,
                least(left_groups.group_id, right_groups.group_id) as src_id,
                greatest(left_groups.group_id, right_groups.group_id) as dst_id,
                case when {{ personagraph.tells_people_apart(pairs) }} then 1 else 0 end
                    as tells_people_apart
            from {{ pairs }}
            inner join {{ record_groups }} as left_groups
                on {{ pairs }}.left_key = left_groups.record_key
            inner join {{ record_groups }} as right_groups
                on {{ pairs }}.right_key = right_groups.record_key
            where
                {{ var('matching__enabled') }}
                and left_groups.group_id != right_groups.group_id
        ) as grouped
        group by src_id, dst_id
    ) as evidence
{%- endmacro %}
