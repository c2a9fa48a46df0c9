-- queries/prognos_mot_utfall.sql: every population projection vintage in the store against the
-- actual population (31 December), per region and year: the SCB tables (each vintage release,
-- summed over age and sex) and the figures SCB printed in its statistical news.
with projected_tables as (
    select
        v.vintage,
        'tabell' as source_kind,
        v.region_code,
        v.period,
        sum(v.value) as projected,
        v.release_id
    from vintage_obs v
    join label l
        on l.release_id = v.release_id
        and l.dimension = 'ContentsCode'
        and l.code = v.dims->>'$.ContentsCode'
    where v.series_id like 'befolkningsprognos%'
        and lower(l.label) like 'folkmängd%'
    group by all
),

projected_news as (
    select
        dims->>'$.vintage' as vintage,
        'statistiknyhet' as source_kind,
        region_code,
        period,
        value as projected,
        release_id
    from obs
    where series_id = 'befolkningsprognos_statistiknyheter'
        and dims->>'$.measure' = 'framskriven_folkmangd'
        and value is not null
),

actual as (
    -- SCB's annual series when fetched, else the embedded 31 December series 2000-2025
    select region_code, period, value as actual, release_id as actual_release
    from obs
    where series_id in ('folkmangd_ar', 'folkmangd_31dec_lan', 'folkmangd_31dec_jamtland_kommuner')
        and dims = '{}'
    qualify row_number() over (
        partition by region_code, period
        order by series_id = 'folkmangd_ar' desc, series_id
    ) = 1
),

final as (
    select
        p.vintage,
        p.source_kind,
        p.region_code,
        p.period,
        p.projected as value,
        a.actual,
        p.projected - a.actual as difference,
        case when a.actual > 0 then 100.0 * (p.projected - a.actual) / a.actual end
            as difference_pct,
        p.release_id,
        a.actual_release
    from (select * from projected_tables union all select * from projected_news) p
    left join actual a using (region_code, period)
    order by p.region_code, p.vintage, p.source_kind, p.period
)

select * from final
