-- queries/arbetsmarknad_lan.sql: labour-market rates (unemployment, employment rate) per län and
-- month with Riket alongside and each län's rank among the 21 län (1 = highest value).
with inputs as (
    select measure, series_id, dims
    from indicator_input
),

source as (
    select i.measure, o.region_code, o.period, o.value, o.status, o.preliminary
    from obs o
    join inputs i on o.series_id = i.series_id and o.dims = i.dims
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
        l.rank,
        l.n_lan
    from source s
    left join riket r using (measure, period)
    left join lan l using (measure, region_code, period)
    order by s.measure, s.period, s.region_code
)

select * from final
