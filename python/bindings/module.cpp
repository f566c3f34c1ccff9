// _clusterbench: the native half of the `clusterbench` Python package
// (python/clusterbench/ wraps it). clusterbench's typed errors become the
// Python exceptions a caller would expect: bad input -> ValueError, a busy or
// unwritable output -> OSError, a stop request -> KeyboardInterrupt.
#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "clusterbench/core/error.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_clusterbench, m) {
  m.doc() = "clusterbench kernels, results store and grid engine (use the clusterbench package)";
  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const cb::InputError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const cb::OutputBusy& e) {
      PyErr_SetString(PyExc_BlockingIOError, e.what());
    } catch (const cb::IoError& e) {
      PyErr_SetString(PyExc_OSError, e.what());
    } catch (const cb::Interrupted& e) {
      PyErr_SetString(PyExc_KeyboardInterrupt, e.what());
    }
  });
  cb::python::bind_results(m);
  cb::python::bind_kernels(m);
  cb::python::bind_grid(m);
}
