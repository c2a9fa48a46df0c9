-- queries/brp_plus.sql: BRP+ (Tillväxtverket m.fl., via Kolada) per part, theme and sex: the
-- regionindex for riket and the 21 län (niva 'lan') and the kommunindex for riket and the
-- kommuner (niva 'kommun'). The index is 0-100 after max-min standardisation among the regions
-- of that level, so riket sits beside each region on the same level's scale. Each län gets its
-- rank among the 21 (1 = highest) when all 21 have a value; Kolada's name and description of
-- the index come from the release's labels.
with source as (
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
        coalesce(t.label, s.tema) as tema_label,
        s.kon,
        d.label as description,
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
    left join label t
        on t.release_id = s.release_id and t.dimension = 'tema' and t.code = s.tema
    left join label d
        on d.release_id = s.release_id
        and d.dimension = 'tema_beskrivning_' || s.kon
        and d.code = s.tema
    order by s.niva, s.del, s.tema, s.kon, s.region_code
)

select * from final
