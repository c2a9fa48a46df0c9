-- queries/jamforelse_per_1000.sql: monthly counts per 1 000 inhabitants, with the population
-- used (the same month when the store has it, else 31 December of the year before) and each
-- län's rank among the 21 län (1 = highest rate), only when all 21 have a rate: a rank among
-- fewer misleads. Each row names the releases of its count and of its population.
with inputs as (
    select measure, series_id, dims
    from indicator_input
),

population as materialized (
    select * from befolkning_bas
),

counts as (
    select
        i.measure,
        o.region_code,
        o.period,
        o.value as count,
        o.status,
        o.preliminary,
        o.release_id
    from obs o
    join inputs i on o.series_id = i.series_id and o.dims = i.dims
),

with_population as (
    select
        c.*,
        coalesce(m.population, y.population) as population,
        case
            when m.population is not null then m.population_basis
            when y.population is not null
                then '31 december ' || cast(cast(substr(c.period, 1, 4) as integer) - 1 as varchar)
        end as population_basis,
        coalesce(m.population_series, y.population_series) as population_series,
        coalesce(m.population_release, y.population_release) as population_release
    from counts c
    left join population m
        on m.region_code = c.region_code and m.period = c.period
        and m.population_basis = 'samma månad'
    left join population y
        on y.region_code = c.region_code
        and y.period = cast(cast(substr(c.period, 1, 4) as integer) - 1 as varchar)
        and y.population_basis <> 'samma månad'
),

rated as (
    select
        *,
        case when population > 0 then 1000.0 * count / population end as value
    from with_population
),

lan_rank as (
    -- rank among the 21 län only; kommuner and riket get none
    select
        measure,
        region_code,
        period,
        rank() over (partition by measure, period order by value desc) as rank,
        count(value) over (partition by measure, period) as n_lan
    from rated
    where length(region_code) = 2 and region_code <> '00' and value is not null
),

final as (
    select
        r.measure,
        r.region_code,
        r.period,
        r.count,
        r.status,
        r.preliminary,
        r.population,
        r.population_basis,
        r.population_series,
        r.value,
        case when l.n_lan = 21 then l.rank end as rank,
        l.n_lan,
        r.release_id,
        r.population_release
    from rated r
    left join lan_rank l using (measure, region_code, period)
    order by r.measure, r.period, r.region_code
)

select * from final
