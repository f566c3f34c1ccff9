# Warnings, instruction set and sanitizers, applied through one interface target
# that every clusterbench target links.
add_library(cb_compile_options INTERFACE)
target_compile_options(cb_compile_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wno-unused-parameter)
if(CB_WERROR)
  target_compile_options(cb_compile_options INTERFACE -Werror)
endif()
if(CB_NATIVE)
  target_compile_options(cb_compile_options INTERFACE -march=native)
else()
  # Portable default: x86-64-v2 runs on every x86-64 machine of the last decade.
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
    target_compile_options(cb_compile_options INTERFACE -march=x86-64-v2)
  endif()
endif()
if(CB_SANITIZE)
  # No recovery: a sanitizer finding fails the test that triggered it.
  target_compile_options(cb_compile_options INTERFACE -fsanitize=${CB_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(cb_compile_options INTERFACE -fsanitize=${CB_SANITIZE})
endif()
if(CB_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CB_FUZZ needs clang (libFuzzer): CC=clang CXX=clang++ cmake -DCB_FUZZ=ON ...")
  endif()
  # Coverage for libFuzzer in every library; ASan and UBSan turn silent damage into findings.
  target_compile_options(cb_compile_options INTERFACE -fsanitize=fuzzer-no-link,address,undefined
                         -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(cb_compile_options INTERFACE -fsanitize=address,undefined)
endif()
# Eigen must never start its own OpenMP threads: oneTBB is the one scheduler.
target_compile_definitions(cb_compile_options INTERFACE EIGEN_DONT_PARALLELIZE)
