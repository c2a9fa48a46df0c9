-- queries/brp_plus.sql: BRP+ (Tillväxtverket m.fl., via Kolada) per part, theme and sex: the
-- regionindex for riket and the 21 län (niva 'lan') and the kommunindex for riket and the
-- kommuner (niva 'kommun'). The index is 0-100 after max-min standardisation among the regions
-- of that level, so riket sits beside each region on the same level's scale. Each län gets its
-- rank among the 21 (1 = highest) when all 21 have a value; Kolada's name and description of
-- the index come from the release's labels.
--
-- Two origins of the same index: the embedded copy of Tillväxtverket's delivery to Kolada
-- (brp_plus_*, stämpelår 2025) and Kolada's BRP+ KPIs fetched online (kolada_brp_plus_*, one KPI
-- per part or theme and sex; indicator_lookup is src/stats/catalog/brp_plus_kolada.csv). For a
-- level and year with Kolada values the Kolada release is used, otherwise the embedded one, so
-- a year is never counted twice.
with lookup as (
    select kpi, niva, del, tema, kon, tema_label
    from indicator_lookup
),

kolada as (
    select
        l.niva,
        l.del,
        l.tema,
        l.kon,
        l.tema_label,
        o.region_code,
        o.period,
        o.value,
        o.status,
        o.preliminary,
        o.release_id
    from obs o
    join lookup l
        on l.kpi = o.dims->>'$.kpi'
        and l.niva = case o.series_id when 'kolada_brp_plus_region' then 'lan' else 'kommun' end
    where o.series_id in ('kolada_brp_plus_region', 'kolada_brp_plus_kommun')
),

embedded as (
    select
        case series_id when 'brp_plus_region' then 'lan' else 'kommun' end as niva,
        dims->>'$.del' as del,
        dims->>'$.tema' as tema,
        dims->>'$.Kon' as kon,
        region_code,
        period,
        value,
        status,
        preliminary,
        release_id
    from obs
    where series_id in ('brp_plus_region', 'brp_plus_kommun')
),

kolada_years as (
    select distinct niva, period
    from kolada
    where value is not null
),

-- Kolada's description of each index, as the embedded delivery carries it for its stämpelår
described as (
    select distinct
        e.niva,
        e.period,
        e.tema,
        e.kon,
        t.label as tema_label,
        d.label as description
    from embedded e
    left join label t
        on t.release_id = e.release_id and t.dimension = 'tema' and t.code = e.tema
    left join label d
        on d.release_id = e.release_id
        and d.dimension = 'tema_beskrivning_' || e.kon
        and d.code = e.tema
),

source as (
    select * exclude (tema_label), tema_label as kolada_label
    from kolada
    semi join kolada_years using (niva, period)
    union all by name
    select *
    from embedded
    anti join kolada_years using (niva, period)
),

riket as (
    select niva, del, tema, kon, period, value as riket
    from source
    where region_code = '00'
),

lan_rank as (
    select
        niva,
        del,
        tema,
        kon,
        region_code,
        period,
        rank() over (partition by niva, del, tema, kon, period order by value desc) as rank,
        count(value) over (partition by niva, del, tema, kon, period) as n_lan
    from source
    where niva = 'lan' and region_code <> '00' and value is not null
),

final as (
    select
        s.niva,
        s.del,
        s.tema,
        coalesce(t.tema_label, s.kolada_label, s.tema) as tema_label,
        s.kon,
        t.description,
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
    left join riket r using (niva, del, tema, kon, period)
    left join lan_rank l using (niva, del, tema, kon, region_code, period)
    left join described t using (niva, period, tema, kon)
    order by s.niva, s.del, s.tema, s.kon, s.region_code, s.period
)

select * from final
