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

size_buckets as (
    select
        person_id,
        case
            when record_count = 1 then '1'
            when record_count <= 5 then '2-5'
            when record_count <= 20 then '6-20'
            when record_count <= 100 then '21-100'
            when record_count <= 1000 then '101-1000'
            else '1000+'
        end as size_bucket
    from person_sizes
),

size_distribution as (
    select
        'size_distribution' as section,
        size_bucket as item,
        count(*) as figure
    from size_buckets
    group by size_bucket
),

largest_clusters as (
    select
        'largest_clusters' as section,
        person_id as item,
        record_count as figure
    from person_sizes
    order by record_count desc
    limit 20
),

guards_fired as (
    select
        'guards_fired' as section,
        guard || ' ' || identifier_type as item,
        count(*) as figure
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
order by section asc, figure desc
