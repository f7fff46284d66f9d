-- One row per pair of groups (src_id < dst_id) whose group match probability reaches
-- matching__threshold: the pairs that probabilistic matching may merge. A
-- group is a deterministic component, or a person record with no accepted identifier
-- (keyed by the hash of 'record:<table>:<id>'). Two groups are compared through all
-- candidate pairs of their records (grouped in int_match_candidate_group_pairs), and
-- through every pair of their named records when no candidate pair compares names
-- (int_match_group_completion_pairs): each comparison counts with the best level it
-- reaches between them (a ticket's name and an order's address show together what
-- neither shows alone), and the group match weight is the prior weight plus those
-- comparison weights. A group pair is accepted when its match probability reaches
-- matching__threshold, no guard rejects it, and either one of its record pairs agrees at
-- a person-telling level on one of matching__person_comparisons (an address shared by a
-- household is not enough: acceptance_rule person_telling_agreement), or one group holds
-- no name and no date of birth (orders: a shipping address, perhaps an email or phone
-- seen nowhere else), the two compare nothing that tells people apart (each of those
-- comparisons is missing on one side), and the named group is the only one it reaches,
-- or all it reaches are one person by person-telling links (sole_named_partner: the only
-- person known at that address; with two or more, the order stays apart). It is rejected (and logged by
-- int_identity_guard_log) when the groups hold conflicting strong evidence: dates of
-- birth of which none agrees within one typo (equal, day and month transposed, or one of
-- year, month and day different; unless matching__birth_date_conflicts_block is false),
-- two identifiers declared distinct (seed identity_declared_distinct), or more account
-- ids of a type together than matching__account_limits allows.

with

candidate_group_pairs as (
    select * from {{ ref('int_match_candidate_group_pairs') }}
),

completion_pairs as (
    select * from {{ ref('int_match_group_completion_pairs') }}
),

person_records as (
    select * from {{ ref('int_match_person_records') }}
),

nodes as (
    select * from {{ ref('int_identity_nodes') }}
),

components as (
    select * from {{ ref('int_identity_components') }}
),

declared_distinct as (
    select * from {{ ref('identity_declared_distinct') }}
),

record_groups as (
    select
        record_key,
        date_of_birth,
        case
            when first_name is not null or last_name is not null or date_of_birth is not null then 1
            else 0
        end as holds_name_or_birth_date,
        {{ personagraph.match_group_id() }} as group_id
    from person_records
),

group_names_held as (
    select
        record_groups.group_id,
        max(record_groups.holds_name_or_birth_date) as holds_name_or_birth_date
    from record_groups
    group by record_groups.group_id
),

group_birth_dates as (
    select distinct
        group_id,
        date_of_birth
    from record_groups
    where date_of_birth is not null
),

group_birth_date_counts as (
    select
        group_id,
        count(*) as birth_dates
    from group_birth_dates
    group by group_id
),

group_identifiers as (
    select
        components.component_id as group_id,
        nodes.identifier_type,
        nodes.identifier_value
    from nodes
    inner join components
        on nodes.node_id = components.node_id
),

group_accounts as (
    select
        group_id,
        {{ personagraph.account_type_counts('identifier_type') }}
        count(*) as identifier_count
    from group_identifiers
    group by group_id
),

-- The completion pairs' evidence per group pair. Completion pairs are drawn only for
-- candidate group pairs, so each of these rows adds to one candidate group pair: each
-- comparison's best level and weight over both, the better best record pair (higher
-- weight, then lower keys), the record pair counts summed.
completion_group_pairs as (
    {{ personagraph.group_pair_evidence('completion_pairs', 'record_groups') | indent(4) }}
),

candidate_and_completion as (
    select
        candidate_group_pairs.*,
        {{ personagraph.prefixed_comparison_columns('completion_group_pairs', 'completion_') | indent(8) }}
        completion_group_pairs.prior_weight as completion_prior_weight,
        completion_group_pairs.tells_people_apart as completion_tells_people_apart,
        completion_group_pairs.best_pair_match_weight as completion_best_pair_match_weight,
        completion_group_pairs.best_left_key as completion_best_left_key,
        completion_group_pairs.best_right_key as completion_best_right_key,
        completion_group_pairs.record_pair_count as completion_record_pair_count,
        coalesce(
            completion_group_pairs.best_pair_match_weight > candidate_group_pairs.best_pair_match_weight
            or (
                completion_group_pairs.best_pair_match_weight = candidate_group_pairs.best_pair_match_weight
                and (
                    completion_group_pairs.best_left_key < candidate_group_pairs.best_left_key
                    or (
                        completion_group_pairs.best_left_key = candidate_group_pairs.best_left_key
                        and completion_group_pairs.best_right_key < candidate_group_pairs.best_right_key
                    )
                )
            ),
            false
        ) as completion_pair_is_best
    from candidate_group_pairs
    left join completion_group_pairs
        on
            candidate_group_pairs.src_id = completion_group_pairs.src_id
            and candidate_group_pairs.dst_id = completion_group_pairs.dst_id
),

group_evidence as (
    select
        src_id,
        dst_id,
        {{ personagraph.combined_comparison_evidence('completion_') | indent(8) }}
        greatest(prior_weight, completion_prior_weight) as prior_weight,
        greatest(tells_people_apart, completion_tells_people_apart) as tells_people_apart,
        greatest(best_pair_match_weight, completion_best_pair_match_weight) as best_pair_match_weight,
        case when completion_pair_is_best then completion_best_left_key else best_left_key end as best_left_key,
        case when completion_pair_is_best then completion_best_right_key else best_right_key end as best_right_key,
        record_pair_count + coalesce(completion_record_pair_count, 0) as record_pair_count
    from candidate_and_completion
),

-- Only group pairs whose match probability reaches the threshold can be links: the
-- guards below are checked for those alone.
weighted_group_pairs as (
    select
        *,
        {{ personagraph.weight_probability('match_weight') }} as match_probability
    from (
        select
            group_evidence.*,
            {{ personagraph.total_match_weight('group_evidence') }} as match_weight
        from group_evidence
    ) as summed
),

group_pairs as (
    select * from weighted_group_pairs
    where match_probability >= {{ var('matching__threshold') }}
),

shared_birth_dates as (
    select
        group_pairs.src_id,
        group_pairs.dst_id,
        count(*) as shared_birth_dates
    from group_pairs
    inner join group_birth_dates as src_dates
        on group_pairs.src_id = src_dates.group_id
    inner join group_birth_dates as dst_dates
        on
            group_pairs.dst_id = dst_dates.group_id
            and {{ personagraph.birth_dates_agree('src_dates.date_of_birth', 'dst_dates.date_of_birth') }}
    group by group_pairs.src_id, group_pairs.dst_id
),

declared_distinct_ends as (
    {{ personagraph.declared_distinct_group_pairs('group_identifiers', 'declared_distinct') | indent(4) }}
),

declared_distinct_pairs as (
    select distinct
        least(left_group_id, right_group_id) as src_id,
        greatest(left_group_id, right_group_id) as dst_id
    from declared_distinct_ends
),

checked as (
    select
        group_pairs.*,
        case
            when
                {{ var('matching__birth_date_conflicts_block') }}
                and coalesce(src_births.birth_dates, 0) > 0
                and coalesce(dst_births.birth_dates, 0) > 0
                and shared_birth_dates.src_id is null
                then 'different_date_of_birth'
            when declared_distinct_pairs.src_id is not null then 'declared_distinct'
            {{ personagraph.account_limit_branches('src_accounts', 'dst_accounts') }}
        end as rejection_reason,
        coalesce(src_values.holds_name_or_birth_date, 0) = 1 as src_is_named,
        coalesce(dst_values.holds_name_or_birth_date, 0) = 1 as dst_is_named
    from group_pairs
    left join group_birth_date_counts as src_births
        on group_pairs.src_id = src_births.group_id
    left join group_birth_date_counts as dst_births
        on group_pairs.dst_id = dst_births.group_id
    left join shared_birth_dates
        on
            group_pairs.src_id = shared_birth_dates.src_id
            and group_pairs.dst_id = shared_birth_dates.dst_id
    left join declared_distinct_pairs
        on
            group_pairs.src_id = declared_distinct_pairs.src_id
            and group_pairs.dst_id = declared_distinct_pairs.dst_id
    left join group_accounts as src_accounts
        on group_pairs.src_id = src_accounts.group_id
    left join group_accounts as dst_accounts
        on group_pairs.dst_id = dst_accounts.group_id
    left join group_names_held as src_values
        on group_pairs.src_id = src_values.group_id
    left join group_names_held as dst_values
        on group_pairs.dst_id = dst_values.group_id
),

passing as (
    select
        *,
        rejection_reason is null as passes_guards
    from checked
),

named_partners as (
    select
        src_id as unnamed_group_id,
        dst_id as named_group_id
    from passing
    where passes_guards and not src_is_named and dst_is_named
    union all
    select
        dst_id as unnamed_group_id,
        src_id as named_group_id
    from passing
    where passes_guards and src_is_named and not dst_is_named
),

named_partner_links as (
    select
        left_partners.unnamed_group_id,
        count(*) as linked_partner_pairs
    from named_partners as left_partners
    inner join named_partners as right_partners
        on
            left_partners.unnamed_group_id = right_partners.unnamed_group_id
            and left_partners.named_group_id < right_partners.named_group_id
    inner join passing
        on
            left_partners.named_group_id = passing.src_id
            and right_partners.named_group_id = passing.dst_id
    where passing.passes_guards and passing.tells_people_apart = 1
    group by left_partners.unnamed_group_id
),

unnamed_group_partners as (
    select
        named_partners.unnamed_group_id,
        count(*) as named_partner_count,
        max(coalesce(named_partner_links.linked_partner_pairs, 0)) as linked_partner_pairs
    from named_partners
    left join named_partner_links
        on named_partners.unnamed_group_id = named_partner_links.unnamed_group_id
    group by named_partners.unnamed_group_id
),

sole_person_groups as (
    select unnamed_group_id
    from unnamed_group_partners
    where linked_partner_pairs = named_partner_count * (named_partner_count - 1) / 2
),

judged as (
    select
        passing.*,
        case
            when not passing.passes_guards then null
            when passing.tells_people_apart = 1 then 'person_telling_agreement'
            -- One side named, the other (the only kind in sole_person_groups) not.
            when
                passing.src_is_named != passing.dst_is_named
                and coalesce(src_sole.unnamed_group_id, dst_sole.unnamed_group_id) is not null
                and {{ personagraph.compares_no_person_values('passing') }}
                then 'sole_named_partner'
        end as acceptance_rule
    from passing
    left join sole_person_groups as src_sole
        on passing.src_id = src_sole.unnamed_group_id
    left join sole_person_groups as dst_sole
        on passing.dst_id = dst_sole.unnamed_group_id
),

final as (
    select
        src_id,
        dst_id,
        {{ personagraph.comparison_evidence_columns() }}
        prior_weight,
        match_weight,
        match_probability,
        best_pair_match_weight,
        record_pair_count,
        best_left_key,
        best_right_key,
        rejection_reason,
        tells_people_apart = 1 as tells_people_apart,
        acceptance_rule,
        acceptance_rule is not null as is_accepted
    from judged
)

select * from final
