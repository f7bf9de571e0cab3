include(GoogleTest)

# rollproof_add_gtest(<name> SOURCES <files...> LIBS <targets...> [LABELS <labels...>] [TIMEOUT s])
# Builds one GoogleTest binary (with gtest_main unless it defines its own main) and registers its
# tests with ctest one by one (discovered before the tests run, so a build never runs tests).
function(rollproof_add_gtest name)
  cmake_parse_arguments(arg "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${arg_SOURCES})
  target_link_libraries(${name} PRIVATE ${arg_LIBS} GTest::gmock GTest::gtest_main)
  rollproof_target_warnings(${name})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/tests")
  if(NOT arg_TIMEOUT)
    set(arg_TIMEOUT 120)
  endif()
  if(NOT arg_LABELS)
    set(arg_LABELS unit)
  endif()
  # Where tests find the source tree and the built binaries (a test may let the
  # environment variables of the same names, without _DEFAULT, override these). Baked in rather
  # than passed through ctest's ENVIRONMENT, which gtest_discover_tests cannot carry as a list.
  target_compile_definitions(${name} PRIVATE
    ROLLPROOF_SOURCE_DIR_DEFAULT="${CMAKE_SOURCE_DIR}"
    ROLLPROOF_BIN_DIR_DEFAULT="${CMAKE_BINARY_DIR}/bin")
  # tests/support/test_paths.hpp reads them.
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
  gtest_discover_tests(${name}
    DISCOVERY_MODE PRE_TEST
    DISCOVERY_TIMEOUT 30
    PROPERTIES LABELS "${arg_LABELS}" TIMEOUT ${arg_TIMEOUT})
endfunction()
