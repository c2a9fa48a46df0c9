-- queries/befolkning_bas.sql: population to divide counts by, per region and period, and which
-- population it is: the same month (monthly series) or 31 December of the year before, and the
-- series it comes from (so a chart cites only the population it used).
with month_pop as (
    select region_code, period, value, release_id
    from folkmangd_manad_total
    where value is not null
),

year_end as (
    -- 31 December populations: the annual series, else the kommun table of the home län
    select region_code, period as year, value, series_id, release_id
    from obs
    where series_id = 'folkmangd_ar' and dims = '{}' and value is not null
    union all
    select region_code, period as year, value, series_id, release_id
    from obs
    where series_id = 'folkmangd_kommun_2020'
        and dims = '{"Kon": "TotSa"}'
        and value is not null
        and not exists (
            select 1 from obs a
            where a.series_id = 'folkmangd_ar' and a.region_code = obs.region_code
                and a.period = obs.period
        )
),

final as (
    select
        region_code,
        period,
        value as population,
        'samma månad' as population_basis,
        'folkmangd_manad' as population_series,
        release_id as population_release
    from month_pop
    union all
    select region_code, year as period, value, '31 december samma år', series_id, release_id
    from year_end
)

select * from final
