# tlgen: writes the deterministic test captures and logs (and the demo samples).
add_executable(tlgen ${CMAKE_CURRENT_SOURCE_DIR}/gen/tlgen.c)
target_compile_options(tlgen PRIVATE ${TL_WARNINGS})
target_compile_definitions(tlgen PRIVATE _GNU_SOURCE)
target_link_libraries(tlgen PRIVATE PkgConfig::LDNS PkgConfig::PCAP PkgConfig::ZLIB)

# The fixture every golden and oracle test reads: a fresh ${CMAKE_BINARY_DIR}/testdata.
set(TL_TESTDATA ${CMAKE_BINARY_DIR}/testdata)
add_test(NAME gen/testdata
         COMMAND sh -c "rm -rf \"$1\" && exec \"$2\" \"$1\"" sh ${TL_TESTDATA} $<TARGET_FILE:tlgen>)
set_tests_properties(gen/testdata PROPERTIES FIXTURES_SETUP testdata)

# Same bytes on every run, and samples/ is exactly what tlgen --samples writes.
add_test(NAME gen/deterministic
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/gen/determinism.sh $<TARGET_FILE:tlgen>
                 ${CMAKE_BINARY_DIR}/gen-determinism ${CMAKE_SOURCE_DIR}/samples)
