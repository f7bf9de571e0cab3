# Build options of rollproof.
option(ROLLPROOF_SANITIZE "Build everything with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(ROLLPROOF_FUZZ "Build the libFuzzer targets (needs clang)" OFF)

if(ROLLPROOF_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
option(ROLLPROOF_WERROR "Treat warnings of our own targets as errors" OFF)

# The shared/ folder beside the checkout: subject protocol, provider notes, JUnit XSD, test vectors.
set(ROLLPROOF_SHARED_DIR "${CMAKE_SOURCE_DIR}/../shared" CACHE PATH "Path of the shared/ specs and vectors")
get_filename_component(ROLLPROOF_SHARED_DIR "${ROLLPROOF_SHARED_DIR}" ABSOLUTE)
