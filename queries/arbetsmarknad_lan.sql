-- queries/arbetsmarknad_lan.sql: labour-market rates (unemployment, employment rate) per län and
-- month with Riket alongside and each län's rank among the 21 län (1 = highest value; only
-- when all 21 have a value, n_lan says how many do): the
-- declared inputs plus SCB's monthly BAS table when it has been fetched.
with inputs as (
    select measure, series_id, dims
    from indicator_input
),

declared as (
    select i.measure, o.region_code, o.period, o.value, o.status, o.preliminary, o.release_id
    from obs o
    join inputs i on o.series_id = i.series_id and o.dims = i.dims
),

bas_monthly as (
    -- SCB BAS per month (TAB6260): contents, sex and age chosen by SCB's own labels, since
    -- the codes are not known offline; totals for both sexes, 20–64 år
    select
        case
            when lc.label ilike 'sysselsättningsgrad%' then 'sysselsattningsgrad'
            when lc.label ilike 'arbetslöshet%' then 'arbetsloshet_bas'
        end as measure,
        o.region_code,
        o.period,
        o.value,
        o.status,
        o.preliminary,
        o.release_id
    from obs o
    join label lc
        on lc.release_id = o.release_id and lc.dimension = 'ContentsCode'
        and lc.code = o.dims->>'$.ContentsCode'
    join label lk
        on lk.release_id = o.release_id and lk.dimension = 'Kon'
        and lk.code = o.dims->>'$.Kon'
    join label la
        on la.release_id = o.release_id and la.dimension = 'Alder'
        and la.code = o.dims->>'$.Alder'
    where o.series_id = 'arbetsmarknadsstatus_manad'
        and (lk.label ilike 'totalt%' or lk.label ilike '%män och kvinnor%')
        and la.label like '20-64%'
),

source as (
    select * from declared
    union all
    select * from bas_monthly
    where measure is not null
),

riket as (
    select measure, period, value as riket
    from source
    where region_code = '00'
),

lan as (
    select
        *,
        rank() over (partition by measure, period order by value desc) as rank,
        count(value) over (partition by measure, period) as n_lan
    from source
    where length(region_code) = 2 and region_code <> '00' and value is not null
),

final as (
    select
        s.measure,
        s.region_code,
        s.period,
        s.value,
        s.status,
        s.preliminary,
        r.riket,
        s.value - r.riket as diff_riket,
        case when l.n_lan = 21 then l.rank end as rank,
        l.n_lan,
        s.release_id
    from source s
    left join riket r using (measure, period)
    left join lan l using (measure, region_code, period)
    order by s.measure, s.period, s.region_code
)

select * from final
