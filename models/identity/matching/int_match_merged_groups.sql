-- One row per group touched by an accepted link: the group it merges into
-- (merged_group_id) and why it did or did not. matching__clustering 'connected': every
-- group of a linked component merges into the component (labelled by its smallest
-- group id). 'best_match': the component's centre (the group with the largest sum of
-- link weights, then the smallest id) keeps only the groups linked to it directly, so
-- no chain A~B~C merges A and C; the others stay as they are. Either way, a merge that
-- would put together, through a chain of links that were each fine, groups with
-- dates of birth that do not agree within one typo (unless one group held both
-- already), identifiers declared distinct (seed
-- identity_declared_distinct) or more account ids of a type than
-- matching__account_limits allows is not made: its groups stay apart, and
-- int_identity_guard_log records it.

with

components as (
    select * from {{ ref('int_match_group_components') }}
),

group_links as (
    select * from {{ ref('int_match_accepted_group_links') }}
),

person_records as (
    select * from {{ ref('int_match_person_records') }}
),

nodes as (
    select * from {{ ref('int_identity_nodes') }}
),

deterministic_components as (
    select * from {{ ref('int_identity_components') }}
),

declared_distinct as (
    select * from {{ ref('identity_declared_distinct') }}
),

link_ends as (
    select
        src_id as node_id,
        match_weight
    from group_links
    union all
    select
        dst_id as node_id,
        match_weight
    from group_links
),

link_weights as (
    select
        node_id,
        sum(match_weight) as total_weight
    from link_ends
    group by node_id
),

centres as (
    select
        component_id,
        node_id as centre_id
    from (
        select
            components.component_id,
            components.node_id,
            row_number() over (
                partition by components.component_id
                order by link_weights.total_weight desc, components.node_id asc
            ) as centre_rank
        from components
        inner join link_weights
            on components.node_id = link_weights.node_id
    ) as ranked
    where centre_rank = 1
),

clustered as (
    select
        components.node_id as group_id,
        case
            when {{ personagraph.clustering_mode() }} = 'connected' then components.component_id
            when components.node_id = centres.centre_id or centre_links.src_id is not null
                then centres.centre_id
            else components.node_id
        end as candidate_group_id
    from components
    inner join centres
        on components.component_id = centres.component_id
    left join group_links as centre_links
        on
            least(components.node_id, centres.centre_id) = centre_links.src_id
            and greatest(components.node_id, centres.centre_id) = centre_links.dst_id
),

group_birth_dates as (
    select distinct
        {{ personagraph.match_group_id() }} as group_id,
        date_of_birth
    from person_records
    where
        date_of_birth is not null
        and {{ var('matching__birth_date_conflicts_block') }}
),

merge_birth_dates as (
    select distinct
        clustered.candidate_group_id,
        clustered.group_id,
        group_birth_dates.date_of_birth
    from clustered
    inner join group_birth_dates
        on clustered.group_id = group_birth_dates.group_id
),

-- Two dates of birth that one group of the merge already held (a deterministic person
-- may hold them): the merge brings nothing new between them.
birth_dates_held_together as (
    select distinct
        left_dates.candidate_group_id,
        left_dates.date_of_birth as left_date_of_birth,
        right_dates.date_of_birth as right_date_of_birth
    from merge_birth_dates as left_dates
    inner join merge_birth_dates as right_dates
        on
            left_dates.candidate_group_id = right_dates.candidate_group_id
            and left_dates.group_id = right_dates.group_id
            and left_dates.date_of_birth != right_dates.date_of_birth
),

birth_date_conflicts as (
    select distinct left_dates.candidate_group_id
    from merge_birth_dates as left_dates
    inner join merge_birth_dates as right_dates
        on
            left_dates.candidate_group_id = right_dates.candidate_group_id
            and left_dates.group_id != right_dates.group_id
            and not {{ personagraph.birth_dates_agree('left_dates.date_of_birth', 'right_dates.date_of_birth') }}
    left join birth_dates_held_together
        on
            left_dates.candidate_group_id = birth_dates_held_together.candidate_group_id
            and left_dates.date_of_birth = birth_dates_held_together.left_date_of_birth
            and right_dates.date_of_birth = birth_dates_held_together.right_date_of_birth
    where birth_dates_held_together.candidate_group_id is null
),

group_identifiers as (
    select
        deterministic_components.component_id as group_id,
        nodes.identifier_type,
        nodes.identifier_value
    from deterministic_components
    inner join nodes
        on deterministic_components.node_id = nodes.node_id
),

merge_accounts as (
    select
        clustered.candidate_group_id,
        {{ personagraph.account_type_counts('group_identifiers.identifier_type') }}
        count(*) as identifier_count
    from clustered
    inner join group_identifiers
        on clustered.group_id = group_identifiers.group_id
    group by clustered.candidate_group_id
),

declared_distinct_pairs as (
    {{ personagraph.declared_distinct_group_pairs('group_identifiers', 'declared_distinct') | indent(4) }}
),

declared_distinct_merges as (
    select distinct left_groups.candidate_group_id
    from declared_distinct_pairs
    inner join clustered as left_groups
        on declared_distinct_pairs.left_group_id = left_groups.group_id
    inner join clustered as right_groups
        on
            declared_distinct_pairs.right_group_id = right_groups.group_id
            and left_groups.candidate_group_id = right_groups.candidate_group_id
),

merge_sizes as (
    select
        candidate_group_id,
        count(*) as merged_groups
    from clustered
    group by candidate_group_id
),

conflicts as (
    select
        merge_sizes.candidate_group_id,
        merge_sizes.merged_groups,
        case
            when birth_date_conflicts.candidate_group_id is not null then 'different_date_of_birth'
            when declared_distinct_merges.candidate_group_id is not null then 'declared_distinct'
            {{ personagraph.account_limit_branches('merge_accounts') }}
        end as rejection_reason
    from merge_sizes
    left join birth_date_conflicts
        on merge_sizes.candidate_group_id = birth_date_conflicts.candidate_group_id
    left join merge_accounts
        on merge_sizes.candidate_group_id = merge_accounts.candidate_group_id
    left join declared_distinct_merges
        on merge_sizes.candidate_group_id = declared_distinct_merges.candidate_group_id
),

final as (
    select
        clustered.group_id,
        clustered.candidate_group_id,
        conflicts.merged_groups as candidate_merge_size,
        conflicts.rejection_reason,
        case
            when conflicts.rejection_reason is null then clustered.candidate_group_id
            else clustered.group_id
        end as merged_group_id
    from clustered
    inner join conflicts
        on clustered.candidate_group_id = conflicts.candidate_group_id
)

select * from final
