{#-
    SQL: one row, one column `failure_message`: NULL when no row of `rows_relation` (a CTE)
    breaks a `fail` expectation, else a message naming each broken expectation with its count
    of offending rows and up to 5 of them (`sample_columns`).
-#}
{% macro fail_expectations_message(rows_relation, expectations, sample_columns) %}
    {%- set sample_fields = [] -%}
    {%- for column_name in sample_columns -%}
        {%- do sample_fields.append("'" ~ column_name ~ "', " ~ column_name) -%}
    {%- endfor -%}
    {%- if expectations | length == 0 %}
    select cast(null as string) as failure_message
    {%- else %}
    select
        nullif(concat_ws(
            '; '
            {%- for expectation in expectations %},
            case when count_if(not coalesce({{ expectation.condition }}, false)) > 0 then concat(
                "expectation '{{ expectation.name }}' ({{ expectation.condition | replace('"', "'") }}) failed on ",
                count_if(not coalesce({{ expectation.condition }}, false)),
                ' row(s), e.g. ',
                array_join(slice(collect_list(
                    case
                        when not coalesce({{ expectation.condition }}, false)
                            then to_json(named_struct({{ sample_fields | join(', ') }}))
                    end
                ), 1, 5), ', ')
            ) end
            {%- endfor %}
        ), '') as failure_message
    from {{ rows_relation }}
    {%- endif %}
{%- endmacro %}
