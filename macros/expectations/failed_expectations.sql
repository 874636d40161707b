{#-
    SQL: the array of the names of `expectations` that the current row fails. A row passes an
    expectation only when its condition is TRUE: NULL is a failure, as in DLT.
-#}
{% macro failed_expectations(expectations) %}
    {%- if expectations | length == 0 -%}
        cast(array() as array<string>)
    {%- else -%}
        filter(
            array(
                {%- for expectation in expectations %}
                case when not coalesce({{ expectation.condition }}, false) then '{{ expectation.name }}' end
                {{- ',' if not loop.last }}
                {%- endfor %}
            ),
            expectation_name -> expectation_name is not null
        )
    {%- endif -%}
{% endmacro %}
