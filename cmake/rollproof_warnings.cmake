# rollproof_target_warnings(<target>): the warning set for our own targets (never for third-party code).
function(rollproof_target_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough -Wformat=2
    $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized -Wno-dangling-reference>)
  if(ROLLPROOF_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
