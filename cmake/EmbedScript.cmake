# Writes OUTPUT, a C++ fragment holding a JavaScript file (INPUT: the vendored
# third_party/echarts/echarts.min.js, or the report's own src/report/js/*.js) as a
# list of raw string literals, one per line of the file (so no literal splits a
# UTF-8 sequence), which the report inlines into its pages.
# Run as: cmake -DINPUT=FILE.js -DOUTPUT=FILE.inc -P EmbedScript.cmake
file(READ "${INPUT}" text)
foreach(forbidden ")cb_js\"" "</script" "</SCRIPT" "<!--")
  string(FIND "${text}" "${forbidden}" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${INPUT} contains '${forbidden}', which cannot be inlined into a <script> element")
  endif()
endforeach()
set(body "// Generated from ${INPUT} by cmake/EmbedScript.cmake: do not edit.\n")
string(LENGTH "${text}" remaining)
while(remaining GREATER 0)
  string(FIND "${text}" "\n" newline)
  if(newline EQUAL -1)
    set(line "${text}")
    set(text "")
  else()
    math(EXPR cut "${newline} + 1")
    string(SUBSTRING "${text}" 0 ${cut} line)
    string(SUBSTRING "${text}" ${cut} -1 text)
  endif()
  string(APPEND body "R\"cb_js(${line})cb_js\",\n")
  string(LENGTH "${text}" remaining)
endwhile()
file(WRITE "${OUTPUT}" "${body}")
