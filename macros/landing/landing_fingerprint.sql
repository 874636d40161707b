{#-
    One number for the files of a landing source as listed now (paths, sizes, modification
    times; no content is read): it changes when a file is added, removed, or rewritten in place.
-#}
{% macro landing_fingerprint(source_relation) %}
    {%- set landing = landing_location(source_relation) -%}
    {%- set listed = run_query(
        "select xxhash64(array_join(sort_array(collect_list(concat_ws('|', landed.path, "
        ~ "cast(landed.length as string), cast(unix_micros(landed.modificationTime) as string)))), ',')) "
        ~ "as fingerprint from binaryFile.`" ~ landing.location ~ "` with ('recursiveFileLookup' = 'true', "
        ~ "'pathGlobFilter' = '" ~ landing.file_pattern ~ "') as landed"
    ) -%}
    {{ return(listed.rows[0][0] | int) }}
{% endmacro %}
