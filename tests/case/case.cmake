# The sample case: samples/ must be exactly what tools/mkcase writes, and tealeaves must
# find in it exactly the anomalies samples/ground-truth.json lists, and analyse its case file.
# Each test has its own scratch directory: regenerate empties its own, and ctest -j runs
# them at the same time.
add_test(NAME case/regenerate
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/case/check.sh regenerate $<TARGET_FILE:mkcase>
                 $<TARGET_FILE:tealeaves> ${CMAKE_SOURCE_DIR}/samples ${CMAKE_BINARY_DIR}/case-regen)
add_test(NAME case/anomalies
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/case/check.sh anomalies $<TARGET_FILE:mkcase>
                 $<TARGET_FILE:tealeaves> ${CMAKE_SOURCE_DIR}/samples ${CMAKE_BINARY_DIR}/case-anomalies)
add_test(NAME case/analyze
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/case/check.sh analyze $<TARGET_FILE:mkcase>
                 $<TARGET_FILE:tealeaves> ${CMAKE_SOURCE_DIR}/samples ${CMAKE_BINARY_DIR}/case-analyze)
# The analysis recovers the generator's ground truth (tests/case/truth.c): exact counts, shares
# within their intervals, events, outage, gap, rename, first querier, spoofed queries. Known,
# diagnosed discrepancies print "KNOWN DISCREPANCY" and do not fail.
add_executable(case_truth ${CMAKE_CURRENT_SOURCE_DIR}/case/truth.c)
target_compile_options(case_truth PRIVATE ${TL_WARNINGS})
target_compile_definitions(case_truth PRIVATE _GNU_SOURCE)
target_link_libraries(case_truth PRIVATE tealeaves_core)
add_test(NAME case/truth
         COMMAND case_truth ${CMAKE_SOURCE_DIR}/samples/case.ini
                 ${CMAKE_SOURCE_DIR}/samples/ground-truth.json)

# The findings must not depend on the thread count or the order of the inputs.
add_test(NAME case/determinism
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/case/determinism.sh $<TARGET_FILE:tealeaves>
                 ${CMAKE_SOURCE_DIR}/samples ${CMAKE_BINARY_DIR}/case-determinism)

# Every count of lookups (per source, organisation, event window) lists exactly its records.
add_test(NAME case/trace
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/case/trace.sh $<TARGET_FILE:tealeaves>
                 ${CMAKE_SOURCE_DIR}/samples/case.ini ${CMAKE_BINARY_DIR}/case-trace)
