-- queries/manadsforandring.sql: latest month against the previous month and the same month a
-- year earlier, with 12-month rolling sums, for the monthly counts declared as inputs
-- (new vacancies, varsel, bankruptcies, employees affected). Months are compared by calendar
-- position, so a missing month gives null, never a comparison with the wrong month.
with inputs as (
    select measure, series_id, dims
    from indicator_input
),

source as (
    select
        i.measure,
        o.region_code,
        o.period,
        cast(substr(o.period, 1, 4) as integer) * 12
            + cast(substr(o.period, 6, 2) as integer) - 1 as month_index,
        o.value,
        o.status,
        o.preliminary,
        o.release_id
    from obs o
    join inputs i on o.series_id = i.series_id and o.dims = i.dims
    where length(o.period) = 7 and substr(o.period, 5, 1) = 'M'
),

windowed as (
    select
        *,
        max(value) over prev_month as previous,
        max(value) over year_ago as year_ago,
        sum(value) over last_12 as rolling_12,
        count(value) over last_12 as months_in_12,
        sum(value) over last_12_year_ago as rolling_12_year_ago,
        count(value) over last_12_year_ago as months_in_12_year_ago
    from source
    window
        prev_month as (
            partition by measure, region_code order by month_index
            range between 1 preceding and 1 preceding
        ),
        year_ago as (
            partition by measure, region_code order by month_index
            range between 12 preceding and 12 preceding
        ),
        last_12 as (
            partition by measure, region_code order by month_index
            range between 11 preceding and current row
        ),
        last_12_year_ago as (
            partition by measure, region_code order by month_index
            range between 23 preceding and 12 preceding
        )
),

final as (
    select
        measure,
        region_code,
        period,
        value,
        status,
        preliminary,
        previous,
        value - previous as change,
        case when previous > 0 then 100.0 * (value - previous) / previous end as change_pct,
        year_ago,
        value - year_ago as change_year,
        case when year_ago > 0 then 100.0 * (value - year_ago) / year_ago end as change_year_pct,
        case when months_in_12 = 12 then rolling_12 end as rolling_12,
        case when months_in_12_year_ago = 12 then rolling_12_year_ago end as rolling_12_year_ago,
        release_id
    from windowed
    order by measure, region_code, period
)

select * from final
