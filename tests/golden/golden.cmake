# Golden tests (tealeaves output compared byte for byte with tests/golden/*) and the
# tshark oracle, both over the files tlgen writes into ${TL_TESTDATA} (fixture
# "testdata", see tests/gen/gen.cmake).
set(TL_GOLDEN_DIR ${CMAKE_CURRENT_SOURCE_DIR}/golden)

# One test per generated file that has expected outputs.
file(GLOB TL_GOLDEN_CASES CONFIGURE_DEPENDS ${TL_GOLDEN_DIR}/*.inspect.json)
foreach(g ${TL_GOLDEN_CASES})
  get_filename_component(name ${g} NAME)
  string(REGEX REPLACE "\\.inspect\\.json$" "" name "${name}")
  add_test(NAME golden/${name}
           COMMAND bash ${TL_GOLDEN_DIR}/run.sh $<TARGET_FILE:tealeaves> ${TL_TESTDATA}
                   ${TL_GOLDEN_DIR} ${name})
  set_tests_properties(golden/${name} PROPERTIES FIXTURES_REQUIRED testdata)
endforeach()

# Every generated file has its expected outputs (or is listed as pending), none is stale.
add_test(NAME golden/complete
         COMMAND bash ${TL_GOLDEN_DIR}/run.sh --complete ${TL_TESTDATA} ${TL_GOLDEN_DIR})
set_tests_properties(golden/complete PROPERTIES FIXTURES_REQUIRED testdata)

find_program(TSHARK_EXECUTABLE tshark)
if(TSHARK_EXECUTABLE)
  add_test(NAME golden/oracle-tshark
           COMMAND bash ${TL_GOLDEN_DIR}/oracle.sh $<TARGET_FILE:tealeaves> ${TSHARK_EXECUTABLE}
                   ${TL_TESTDATA})
  set_tests_properties(golden/oracle-tshark PROPERTIES FIXTURES_REQUIRED testdata)
else()
  # The oracle is part of the suite, not an extra: a build without it must not pass quietly.
  message(FATAL_ERROR "tshark not found: the tests need it for golden/oracle-tshark "
                      "(apt-get install tshark), or configure with -DTL_TESTS=OFF")
endif()
