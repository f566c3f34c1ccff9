# Every dependency comes from a Debian package (see scripts/setup); nothing is downloaded.
find_package(Threads REQUIRED)
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(TBB REQUIRED)
find_package(ZLIB REQUIRED)
find_package(HDF5 REQUIRED COMPONENTS C)
find_package(yaml-cpp REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(SQLite3 REQUIRED)  # Debian libsqlite3-dev; CMake's FindSQLite3 gives SQLite::SQLite3
find_package(OpenMP COMPONENTS CXX)
if(CB_MPI)
  find_package(MPI REQUIRED COMPONENTS CXX)  # Debian libopenmpi-dev
endif()
# libcsv (Debian libcsv-dev) has no CMake package: an imported target by hand.
find_path(LIBCSV_INCLUDE_DIR csv.h REQUIRED)
find_library(LIBCSV_LIBRARY csv REQUIRED)
add_library(libcsv::libcsv UNKNOWN IMPORTED)
set_target_properties(libcsv::libcsv PROPERTIES IMPORTED_LOCATION ${LIBCSV_LIBRARY}
                      INTERFACE_INCLUDE_DIRECTORIES ${LIBCSV_INCLUDE_DIR})
# FFTW (Debian libfftw3-dev) ships pkg-config files only; the t-SNE FFT repulsion uses it.
find_package(PkgConfig REQUIRED)
pkg_check_modules(FFTW3 REQUIRED IMPORTED_TARGET fftw3)
if(CB_BUILD_TESTS)
  find_package(Catch2 2 REQUIRED)  # Debian 12 ships Catch2 v2
endif()
if(CB_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
