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
