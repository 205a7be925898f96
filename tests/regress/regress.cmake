# Regression inputs (tests/regress/TESTLIST): that every one is listed with the test that
# runs it; and the exit-* inputs, each in a small case, with the exit status and message
# it must give. The <fuzz-target>-*.bin inputs are replayed by tests/fuzz/fuzz.cmake.
add_test(NAME regress/list COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/check.sh ${CMAKE_CURRENT_LIST_DIR})
add_test(NAME regress/exits
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/exits.sh $<TARGET_FILE:tealeaves>
                 ${CMAKE_CURRENT_LIST_DIR} ${CMAKE_SOURCE_DIR}/samples
                 ${CMAKE_BINARY_DIR}/regress-exits)
