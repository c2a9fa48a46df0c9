-- queries/cirkular_andel.sql: share of employment in the circular sector, per definition set,
-- region and year, from the analyst's imported file of employment by detailed SNI 2007 code.
-- A set code covers every more detailed code below it; total = all codes in the file.
with employed as (
    select
        region_code,
        period,
        replace(dims->>'$.SNI2007', '.', '') as sni,
        value,
        release_id
    from obs
    where series_id = 'sysselsatta_sni_detalj'
),

totals as (
    select region_code, period, sum(value) as employed_total, any_value(release_id) as release_id
    from employed
    group by region_code, period
),

matched as (
    -- distinct: a detailed code is counted once even if two codes of a set cover it
    select distinct d.set_id, e.region_code, e.period, e.sni, e.value
    from employed e
    join definition_set d on starts_with(e.sni, d.code)
),

circular as (
    select set_id, region_code, period, sum(value) as employed_circular, count(*) as sni_codes
    from matched
    group by set_id, region_code, period
),

sets as (
    select distinct set_id, set_name, version, source
    from definition_set
),

final as (
    select
        s.set_id,
        s.set_name,
        s.version,
        t.region_code,
        t.period,
        case when t.employed_total > 0
            then 100.0 * coalesce(c.employed_circular, 0) / t.employed_total end as value,
        coalesce(c.employed_circular, 0) as employed_circular,
        t.employed_total,
        coalesce(c.sni_codes, 0) as sni_codes,
        t.release_id
    from totals t
    cross join sets s
    left join circular c
        on c.set_id = s.set_id and c.region_code = t.region_code and c.period = t.period
    order by t.region_code, t.period, s.set_id
)

select * from final
