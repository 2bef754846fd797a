# Warnings and hardening flags for the project's own targets (S15).
function(mexc_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wno-missing-field-initializers
                                           -Wno-mismatched-new-delete  # g++ 12 false positive on Asio coroutine frames
                                           -fstack-protector-strong
                                           $<$<BOOL:${MEXC_WERROR}>:-Werror>)
  target_compile_definitions(${target} PRIVATE $<$<NOT:$<CONFIG:Debug>>:_FORTIFY_SOURCE=2>)
endfunction()
