# Writes OUT, a header defining CB_GIT_COMMIT as the source tree's HEAD (12 hex digits,
# "unknown" outside git). Run at every build (src/CMakeLists.txt: cb_git_commit), not at
# configure time, so results files name the commit that was built; the file is rewritten
# only when the commit changes, so nothing recompiles otherwise.
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT commit)
  set(commit "unknown")
endif()
file(CONFIGURE OUTPUT ${OUT} CONTENT "#pragma once\n#define CB_GIT_COMMIT \"${commit}\"\n" @ONLY)
