-- One row per pair of groups (src_id < dst_id) that blocking brought together: the
-- evidence between them over all their scored candidate pairs (macro
-- group_pair_evidence: each comparison's best level and weight, the best record pair,
-- whether a pair tells people apart). A group is a deterministic component, or a person
-- record with no accepted identifier. Read by int_match_group_completion_pairs (which
-- group pairs compare no names) and by int_match_group_links (which adds the completion
-- pairs' evidence and judges every group pair), so the candidate pairs are grouped once.

with

scored_pairs as (
    select * from {{ ref('int_match_scored_pairs') }}
),

person_records as (
    select * from {{ ref('int_match_person_records') }}
),

record_groups as (
    select
        record_key,
        {{ personagraph.match_group_id() }} as group_id
    from person_records
),

final as (
    {{ personagraph.group_pair_evidence('scored_pairs', 'record_groups') | indent(4) }}
)

select * from final
