-- One row per blocking rule: how many records it could block, its blocks, the blocks it
-- skipped for being larger than matching__max_block_size, the candidate pairs it
-- yields and how many of them no earlier rule found. The pair counts per record show
-- whether blocking stays near linear.

with

person_records as (
    select * from {{ ref('int_match_person_records') }}
),

candidate_pairs as (
    select * from {{ ref('int_match_candidate_pairs') }}
),

block_counts as (
    {{ personagraph.blocking_block_counts('person_records') }}
),

first_found as (
    select
        blocking_rule,
        count(*) as new_pairs
    from candidate_pairs
    group by blocking_rule
),

record_count as (
    select count(*) as person_records from person_records
),

final as (
    select
        block_counts.rule_rank,
        block_counts.blocking_rule,
        block_counts.blocking_keys,
        block_counts.blocked_records,
        block_counts.blocks,
        block_counts.skipped_blocks,
        block_counts.records_in_skipped_blocks,
        record_count.person_records,
        cast(block_counts.rule_pairs as bigint) as rule_pairs,
        coalesce(first_found.new_pairs, 0) as new_pairs,
        cast(block_counts.rule_pairs as double) / nullif(record_count.person_records, 0)
            as rule_pairs_per_record
    from block_counts
    cross join record_count
    left join first_found
        on block_counts.blocking_rule = first_found.blocking_rule
)

select * from final
