-- queries/brp_lan.sql: gross regional product per län and year for every content SCB publishes
-- in TAB3138 (level in current prices, volume change, per inhabitant, per employed), with
-- Riket alongside and each län's rank among the 21 län (1 = highest).
with source as (
    select
        o.region_code,
        o.period,
        o.dims->>'$.ContentsCode' as contents,
        coalesce(l.label, o.dims->>'$.ContentsCode') as contents_label,
        o.value,
        o.status,
        o.preliminary
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

final as (
    select
        s.*,
        r.riket,
        case when length(s.region_code) = 2 and s.region_code <> '00' and s.value is not null then
            rank() over (
                partition by s.contents, s.period,
                    (length(s.region_code) = 2 and s.region_code <> '00' and s.value is not null)
                order by s.value desc
            )
        end as rank
    from source s
    left join riket r using (contents, period)
    order by s.contents, s.period, s.region_code
)

select * from final
