# Writes OUT, a header defining CB_GIT_COMMIT as the source tree's HEAD (12 hex digits,
# "-dirty" appended when tracked files differ from it; "unknown" outside git). Run at
# every build (src/CMakeLists.txt: cb_git_commit), not at configure time, so results
# files name the code that was built; the file is rewritten only when that changes, so
# nothing recompiles otherwise.
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT commit)
  set(commit "unknown")
else()
  execute_process(COMMAND git diff --quiet HEAD -- WORKING_DIRECTORY ${SOURCE_DIR} RESULT_VARIABLE changed
                  ERROR_QUIET)
  if(changed EQUAL 1)
    string(APPEND commit "-dirty")
  endif()
endif()
file(CONFIGURE OUTPUT ${OUT} CONTENT "#pragma once\n#define CB_GIT_COMMIT \"${commit}\"\n" @ONLY)
