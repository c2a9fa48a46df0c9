-- queries/befolkning_bas.sql: population to divide counts by, per region and period, and which
-- population it is: the same month (monthly series) or 31 December of the year before, and the
-- series it comes from (so a chart cites only the population it used).
with month_pop as (
    select region_code, period, value, release_id
    from folkmangd_manad_total
    where value is not null
),

year_end_sources as (
    -- 31 December populations, best first: SCB's annual series (fetched online), the embedded
    -- län and kommun series 2000-2025, then the home län's kommun table for 2020
    select region_code, period as year, value, series_id, release_id,
        case series_id
            when 'folkmangd_ar' then 1
            when 'folkmangd_31dec_lan' then 2
            when 'folkmangd_31dec_jamtland_kommuner' then 3
            else 4
        end as priority
    from obs
    where value is not null
        and (
            (series_id in ('folkmangd_ar', 'folkmangd_31dec_lan', 'folkmangd_31dec_jamtland_kommuner')
                and dims = '{}')
            or (series_id = 'folkmangd_kommun_2020' and dims = '{"Kon": "TotSa"}')
        )
),

year_end as (
    select region_code, year, value, series_id, release_id
    from year_end_sources
    qualify row_number() over (partition by region_code, year order by priority) = 1
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
