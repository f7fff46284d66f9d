-- Cluster size distribution, the largest clusters and the guards that fired.
-- Compile with `dbt compile --select identity_cluster_report` and run the SQL in
-- target/compiled, or read the three result sets one by one.

with

record_persons as (
    select * from {{ ref('person_source_records') }}
),

guards as (
    select * from {{ ref('int_identity_guard_log') }}
),

person_sizes as (
    select
        person_id,
        count(*) as record_count
    from record_persons
    group by person_id
),

size_distribution as (
    select
        'size_distribution' as section,
        case
            when record_count = 1 then '1'
            when record_count <= 5 then '2-5'
            when record_count <= 20 then '6-20'
            when record_count <= 100 then '21-100'
            when record_count <= 1000 then '101-1000'
            else '1000+'
        end as label,
        count(*) as value
    from person_sizes
    group by 2
),

largest_clusters as (
    select
        'largest_clusters' as section,
        person_id as label,
        record_count as value
    from person_sizes
    order by record_count desc
    limit 20
),

guards_fired as (
    select
        'guards_fired' as section,
        guard || ' ' || identifier_type as label,
        count(*) as value
    from guards
    group by guard, identifier_type
),

final as (
    select * from size_distribution
    union all
    select * from largest_clusters
    union all
    select * from guards_fired
)

select * from final
order by section, value desc
