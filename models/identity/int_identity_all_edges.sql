-- Every accepted edge of the identity graph (src_id < dst_id): the deterministic edges
-- of int_identity_edges and the probabilistic edges of int_identity_match_edges, in one
-- shape (match_weight, match_probability and match_evidence are null for deterministic
-- edges).
{{ config(materialized='view') }}

with

deterministic_edges as (
    select * from {{ ref('int_identity_edges') }}
),

match_edges as (
    select * from {{ ref('int_identity_match_edges') }}
),

final as (
    select
        src_id,
        dst_id,
        edge_strength,
        edge_rule,
        evidence_record,
        evidence_record_count,
        first_seen_at,
        last_seen_at,
        cast(null as double) as match_weight,
        cast(null as double) as match_probability,
        cast(null as {{ dbt.type_string() }}) as match_evidence
    from deterministic_edges

    union all

    select
        src_id,
        dst_id,
        edge_strength,
        edge_rule,
        evidence_record,
        evidence_record_count,
        first_seen_at,
        last_seen_at,
        match_weight,
        match_probability,
        match_evidence
    from match_edges
)

select * from final
