# Refuses in-source builds: build trees live in build/ (see CMakePresets.json).
if(CMAKE_SOURCE_DIR STREQUAL CMAKE_BINARY_DIR)
  message(FATAL_ERROR "rollproof: in-source builds are not allowed; use `cmake --preset release` "
                      "(build/) or `cmake -S . -B build`. Remove CMakeCache.txt and CMakeFiles/ first.")
endif()
