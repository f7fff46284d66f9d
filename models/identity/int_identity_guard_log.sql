-- One row per guard that fired: the guard, the identifier type, the value (emails and
-- phones replaced by an md5 prefix; for record guards the record), how many records,
-- accounts or people it touched, and the detail. Guards: blocklist (junk values), hub
-- (a value seen with too many identifiers of one type), bridge_hub (a value seen only
-- on transactions that alone links account holders), record_conflict (a transaction
-- that would join people holding too many accounts of one type), shared_device (a
-- cookie or device tied to several known people), unconfirmed_device (tied to one
-- person by a single record) and person_limit (a person still holding more accounts
-- of one type than identity__hub_limit_<type> allows).

with

blocked as (
    select * from {{ ref('int_identity_blocked_identifiers') }}
),

hubs as (
    select * from {{ ref('int_identity_hubs') }}
),

devices as (
    select * from {{ ref('int_identity_device_assignments') }}
),

bridge_hubs as (
    select * from {{ ref('int_identity_bridge_hubs') }}
),

record_conflicts as (
    select * from {{ ref('int_identity_record_conflicts') }}
),

clusters as (
    select * from {{ ref('int_identity_clusters') }}
),

group_links as (
    select * from {{ ref('int_match_group_links') }}
),

merged_groups as (
    select * from {{ ref('int_match_merged_groups') }}
),

person_accounts as (
    select
        person_id,
        identifier_type,
        count(*) as account_count,
        {{ personagraph.hub_limit('identifier_type') }} as person_limit
    from clusters
    where identifier_type in {{ personagraph.sql_list(var('identity__account_types')) }}
    group by person_id, identifier_type
),

guards as (
    select
        'blocklist' as guard,
        identifier_type,
        identifier_value,
        record_count as affected_count,
        'records carrying the value; matched ' || matched_entry || ' (' || reason || ')' as detail
    from blocked

    union all

    select
        'hub' as guard,
        identifier_type,
        identifier_value,
        distinct_neighbours as affected_count,
        'distinct ' || neighbour_type_over_limit || ' values seen with it; limit '
        || cast(hub_limit as {{ dbt.type_string() }}) as detail
    from hubs

    union all

    select
        'shared_device' as guard,
        identifier_type,
        identifier_value,
        greatest(strong_person_count, weak_person_count) as affected_count,
        'known people tied to the device; kept as a profile of its own' as detail
    from devices
    where assignment = 'shared_by_known_people'

    union all

    select
        'unconfirmed_device' as guard,
        identifier_type,
        identifier_value,
        tie_records as affected_count,
        'records tying the device to one known person; too few to attach it' as detail
    from devices
    where assignment = 'unconfirmed_tie'

    union all

    select
        'bridge_hub' as guard,
        identifier_type,
        identifier_value,
        distinct_accounts as affected_count,
        'account ids named by its transactions; at most '
        || cast(most_accounts_on_one_record as {{ dbt.type_string() }}) || ' on any one of them' as detail
    from bridge_hubs

    union all

    select
        'record_conflict' as guard,
        'record' as identifier_type,
        source_table || ':' || source_record_id as identifier_value,
        distinct_accounts as affected_count,
        'distinct ' || conflicting_type || ' values it would join; limit '
        || cast(person_limit as {{ dbt.type_string() }}) as detail
    from record_conflicts

    union all

    select
        'person_limit' as guard,
        'person' as identifier_type,
        person_id as identifier_value,
        account_count as affected_count,
        'distinct ' || identifier_type || ' values in one person; limit '
        || cast(person_limit as {{ dbt.type_string() }}) as detail
    from person_accounts
    where account_count > person_limit

    union all

    select
        'match_rejected' as guard,
        'group' as identifier_type,
        cast(src_id as {{ dbt.type_string() }}) || ' ~ ' || cast(dst_id as {{ dbt.type_string() }}) as identifier_value,
        record_pair_count as affected_count,
        rejection_reason || ' (match probability '
        || cast(round(match_probability, 4) as {{ dbt.type_string() }}) || ', record pairs compared)' as detail
    from group_links
    where
        rejection_reason is not null
        and tells_people_apart
        and match_probability >= {{ var('matching__threshold') }}

    union all

    select
        'match_chain_conflict' as guard,
        'group' as identifier_type,
        cast(candidate_group_id as {{ dbt.type_string() }}) as identifier_value,
        max(candidate_merge_size) as affected_count,
        max(rejection_reason) || ': groups that chained links would have merged' as detail
    from merged_groups
    where rejection_reason is not null
    group by candidate_group_id
),

final as (
    select
        guard,
        identifier_type,
        {{ personagraph.masked_identifier_value('identifier_type', 'identifier_value') }} as identifier_value_masked,
        affected_count,
        detail
    from guards
)

select * from final
