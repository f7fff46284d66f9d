-- One row per candidate pair of person records (left_key < right_key): records that
-- agree on every key of at least one blocking rule (var matching__blocking_rules).
-- blocking_rule is the first rule, in the var's order, that found the pair;
-- found_by_<rule> flags every rule that found it. Blocks larger than
-- matching__max_block_size are skipped (see int_match_blocking_report).

with

person_records as (
    select * from {{ ref('int_match_person_records') }}
),

pairs_per_rule as (
    {{ personagraph.blocked_pairs('person_records') }}
),

final as (
    select
        left_key,
        right_key,
        {{ personagraph.found_by_rule_flags() }}
        {{ personagraph.blocking_rule_name('min(rule_rank)') }} as blocking_rule
    from pairs_per_rule
    group by left_key, right_key
)

select * from final
