-- queries/folkmangd_manad_total.sql: total population (all ages, both sexes) per region and month
-- dims is canonical JSON (store.py), so plain string tests replace per-row JSON parsing
with source as (
    select
        region_code,
        period,
        value,
        release_id,
        dims ilike '%"Alder": "tot%' as is_age_total
    from obs
    where series_id = 'folkmangd_manad'
        and contains(dims, '"Kon": "TotSa"')
),

age_total as (
    -- SCB's own all-ages total, used as is when the series carries one
    select region_code, period, value, release_id
    from source
    where is_age_total
),

age_sum as (
    -- sum of the age groups; unknown (null) when any group is missing
    select
        region_code,
        period,
        case when count(value) = count(*) then sum(value) end as value,
        any_value(release_id) as release_id
    from source
    where not is_age_total
    group by region_code, period
),

regions as (
    select region_code, period, value, null as derived, release_id
    from age_total
    union all
    select region_code, period, value, 'summa av åldersgrupperna' as derived, release_id
    from age_sum
    where not exists (
        select 1 from age_total t
        where t.region_code = age_sum.region_code and t.period = age_sum.period
    )
),

lan_sum as (
    -- riket as the sum of the 21 län, only where the store lacks SCB's riket figure;
    -- with CKM the sum of the parts may differ slightly from SCB's published total
    select
        '00' as region_code,
        period,
        case when count(value) = 21 then sum(value) end as value,
        'summa av länen' as derived,
        any_value(release_id) as release_id
    from regions
    where length(region_code) = 2 and region_code <> '00'
    group by period
),

final as (
    select region_code, period, value, derived, release_id
    from regions
    union all
    select region_code, period, value, derived, release_id
    from lan_sum
    where not exists (
        select 1 from regions r
        where r.region_code = '00' and r.period = lan_sum.period
    )
    order by region_code, period
)

select * from final
