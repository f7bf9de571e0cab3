# Build options of rollproof.
option(ROLLPROOF_SANITIZE "Build everything with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(ROLLPROOF_FUZZ "Build the libFuzzer targets (needs clang 16: see the fuzz preset)" OFF)
option(ROLLPROOF_WERROR "Treat warnings of our own targets as errors" OFF)
set(ROLLPROOF_FUZZ_SECONDS 20 CACHE STRING "How long each fuzz ctest (label fuzz) runs its target")

if(ROLLPROOF_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

if(ROLLPROOF_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "rollproof: ROLLPROOF_FUZZ needs clang (use `cmake --preset fuzz`)")
  endif()
  # Every library is instrumented for coverage and checked by ASan/UBSan; only the fuzz
  # executables link libFuzzer's main (tests/fuzz/CMakeLists.txt adds -fsanitize=fuzzer there).
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
