# The Python package: pybind11 (Debian pybind11-dev) finds /usr/bin/python3's
# headers. CB_PYTHON_MODULE defaults ON when pybind11 is installed. The module
# links the same static layers as the CLI, so those are built position
# independent (set before any library is declared).
set(Python_EXECUTABLE "/usr/bin/python3" CACHE FILEPATH "Python the clusterbench module is built for")
find_package(Python 3 COMPONENTS Interpreter Development.Module QUIET)
set(PYBIND11_FINDPYTHON ON)
if(Python_FOUND)
  find_package(pybind11 2.6 CONFIG QUIET)
endif()
if(pybind11_FOUND)
  set(cb_python_default ON)
else()
  set(cb_python_default OFF)
endif()
option(CB_PYTHON_MODULE "Build the clusterbench Python module (pybind11)" ${cb_python_default})
if(CB_PYTHON_MODULE)
  if(NOT pybind11_FOUND)
    message(FATAL_ERROR "CB_PYTHON_MODULE=ON needs pybind11-dev and python3-dev (scripts/setup)")
  endif()
  set(CMAKE_POSITION_INDEPENDENT_CODE ON)
  # -fPIC alone lets every global function be interposed at load time, which
  # stops GCC inlining them inside their own library; nothing here relies on
  # interposition, so keep the non-PIC code generation.
  add_compile_options($<$<CXX_COMPILER_ID:GNU>:-fno-semantic-interposition>)
endif()
