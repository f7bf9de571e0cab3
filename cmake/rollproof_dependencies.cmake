# Every third-party dependency, all from Debian 12 packages (scripts/bootstrap installs them).
find_package(Threads REQUIRED)
find_package(Boost 1.81 REQUIRED COMPONENTS filesystem json url)
find_package(OpenSSL REQUIRED)
find_package(CURL REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(GTest REQUIRED)
find_package(rapidcheck REQUIRED)
# Debian's libre2-dev ships a pkg-config file, no CMake package.
find_package(PkgConfig REQUIRED)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)

# Boost.Process v1 and Asio are header-only; keep them quiet and modern.
add_compile_definitions(BOOST_ASIO_NO_DEPRECATED BOOST_PROCESS_USE_STD_FS)
