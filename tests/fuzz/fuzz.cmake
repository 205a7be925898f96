# Fuzz harnesses (tests/fuzz/fuzz_<target>.c).
#
# Always: fuzz_<target>_replay, the harness linked with replay_main.c, and a ctest
# test per harness that replays its seed corpus (tests/fuzz/corpus/<target>/) and
# the crashers kept for it (tests/regress/<target>-*.bin).
# With TL_FUZZ=ON (clang): also fuzz_<target>, a real libFuzzer binary, and the
# library is built with coverage instrumentation, ASan and UBSan.
set(TL_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})
set(TL_FUZZ_TARGETS net dns textlog pcap pdfread cms tar case template)

if(TL_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "TL_FUZZ needs clang (configure with -DCMAKE_C_COMPILER=clang)")
  endif()
  set(TL_FUZZ_SAN -fsanitize=address,undefined -fno-sanitize-recover=all
      -fno-omit-frame-pointer)
  # Everything that links the library gets the sanitizer runtimes with it.
  foreach(layer ${TL_LAYERS})
    if(TARGET tl_${layer})
      get_target_property(kind tl_${layer} TYPE)
      if(NOT kind STREQUAL "INTERFACE_LIBRARY")
        target_compile_options(tl_${layer} PRIVATE -fsanitize=fuzzer-no-link ${TL_FUZZ_SAN})
      endif()
    endif()
  endforeach()
  target_link_options(tealeaves_core INTERFACE -fsanitize=address,undefined)
endif()

foreach(t ${TL_FUZZ_TARGETS})
  add_executable(fuzz_${t}_replay ${TL_FUZZ_DIR}/fuzz_${t}.c ${TL_FUZZ_DIR}/replay_main.c)
  target_compile_options(fuzz_${t}_replay PRIVATE ${TL_WARNINGS})
  target_compile_definitions(fuzz_${t}_replay PRIVATE _GNU_SOURCE)
  target_include_directories(fuzz_${t}_replay PRIVATE ${TL_FUZZ_DIR})
  target_link_libraries(fuzz_${t}_replay PRIVATE tealeaves_core)
  if(TL_FUZZ)
    target_compile_options(fuzz_${t}_replay PRIVATE ${TL_FUZZ_SAN})

    add_executable(fuzz_${t} ${TL_FUZZ_DIR}/fuzz_${t}.c)
    target_compile_options(fuzz_${t} PRIVATE ${TL_WARNINGS} -fsanitize=fuzzer ${TL_FUZZ_SAN})
    target_compile_definitions(fuzz_${t} PRIVATE _GNU_SOURCE)
    target_include_directories(fuzz_${t} PRIVATE ${TL_FUZZ_DIR})
    target_link_libraries(fuzz_${t} PRIVATE tealeaves_core)
    target_link_options(fuzz_${t} PRIVATE -fsanitize=fuzzer)
  endif()

  file(GLOB TL_FUZZ_REGRESS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/regress/${t}-*.bin)
  add_test(NAME fuzz/${t} COMMAND fuzz_${t}_replay ${TL_FUZZ_DIR}/corpus/${t} ${TL_FUZZ_REGRESS})
endforeach()
