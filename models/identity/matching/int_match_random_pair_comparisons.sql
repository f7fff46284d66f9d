-- Comparison levels of every pair within a fixed sample of person records (the
-- matching__u_sample_records records with the smallest keys; keys are md5-derived, so
-- the sample is pseudo-random yet the same on every run and engine), leaving out pairs
-- that the deterministic graph already holds in one component (one customer's repeat
-- orders would make a shared postcode or email look common among different people).
-- Nearly all remaining pairs are different people: their level shares are the
-- u-probabilities.

with

person_records as (
    select * from {{ ref('int_match_person_records') }}
),

nicknames as (
    select * from {{ ref('name_nicknames') }}
),

ranked_records as (
    select
        *,
        row_number() over (order by record_key) as sample_rank
    from person_records
),

sampled_records as (
    select * from ranked_records
    where sample_rank <= {{ var('matching__u_sample_records') }}
),

final as (
    select
        left_records.record_key as left_key,
        right_records.record_key as right_key,
        {{ personagraph.compare_person_records(
            'left_records', 'right_records', 'nicknames_left_right', 'nicknames_right_left'
        ) | indent(8) }}
    from sampled_records as left_records
    inner join sampled_records as right_records
        on
            left_records.record_key < right_records.record_key
            and (
                left_records.component_id is null
                or right_records.component_id is null
                or left_records.component_id != right_records.component_id
            )
    {{ personagraph.nickname_joins('left_records', 'right_records') }}
)

select * from final
