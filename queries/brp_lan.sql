-- queries/brp_lan.sql: gross regional product per län and year for every content SCB publishes
-- in TAB3138 (level in current prices, volume change, per inhabitant, per employed), with
-- Riket alongside and each län's rank among the 21 län (1 = highest; only when all 21 have a
-- value, since a rank among fewer misleads).
with source as (
    select
        o.region_code,
        o.period,
        o.dims->>'$.ContentsCode' as contents,
        coalesce(l.label, o.dims->>'$.ContentsCode') as contents_label,
        o.value,
        o.status,
        o.preliminary,
        o.release_id
    from obs o
    left join label l
        on l.release_id = o.release_id
        and l.dimension = 'ContentsCode'
        and l.code = o.dims->>'$.ContentsCode'
    where o.series_id = 'brp_lan'
),

riket as (
    select contents, period, value as riket
    from source
    where region_code = '00'
),

lan as (
    select
        contents,
        region_code,
        period,
        rank() over (partition by contents, period order by value desc) as rank,
        count(value) over (partition by contents, period) as n_lan
    from source
    where length(region_code) = 2 and region_code <> '00' and value is not null
),

final as (
    select
        s.region_code,
        s.period,
        s.contents,
        s.contents_label,
        s.value,
        s.status,
        s.preliminary,
        r.riket,
        case when l.n_lan = 21 then l.rank end as rank,
        l.n_lan,
        s.release_id
    from source s
    left join riket r using (contents, period)
    left join lan l using (contents, region_code, period)
    order by s.contents, s.period, s.region_code
)

select * from final
