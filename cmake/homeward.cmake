# Build conventions shared by Homeward's targets.

# Domain logic and everything that reads untrusted input is built without exceptions (as
# leveldb is): a `throw` or `try` cannot compile there, and a library call that would throw
# is a bug found by the fuzz targets, not a crash path in production. Errors are absl::Status.
function(homeward_no_exceptions target)
  target_compile_options(${target} PRIVATE -fno-exceptions)
endfunction()
