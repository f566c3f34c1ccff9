# Writes OUTPUT, a C++ fragment holding every configs/segments/*.yaml of
# PRESETS_DIR as {name, text} pairs, so `clusterbench rfm` and grid configs
# find the presets from any working directory (the binary carries them).
# Run as: cmake -DPRESETS_DIR=... -DOUTPUT=... -P EmbedSegmentPresets.cmake
file(GLOB presets "${PRESETS_DIR}/*.yaml")
list(SORT presets)
set(body "// Generated from configs/segments/*.yaml by cmake/EmbedSegmentPresets.cmake: edit those files.\n")
foreach(preset IN LISTS presets)
  get_filename_component(name "${preset}" NAME_WE)
  file(READ "${preset}" text)
  string(FIND "${text}" ")cb_preset\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${preset} contains the raw-string delimiter )cb_preset\"")
  endif()
  string(APPEND body "{\"${name}\", R\"cb_preset(${text})cb_preset\"},\n")
endforeach()
file(WRITE "${OUTPUT}" "${body}")
