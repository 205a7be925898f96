# Calibration of the event test on simulated cases with known truth (docs/validation.md):
# the simulator itself (unit test), then the study with --check, which fails when a null
# scenario's false-positive rate is clearly above alpha or the power at 3x is too low.
add_executable(test_calgen ${CMAKE_CURRENT_SOURCE_DIR}/validation/test_calgen.c)
target_compile_options(test_calgen PRIVATE ${TL_WARNINGS})
target_compile_definitions(test_calgen PRIVATE _GNU_SOURCE)
target_link_libraries(test_calgen PRIVATE tl_calgen PkgConfig::CMOCKA)
add_test(NAME validation/calgen COMMAND test_calgen)

# The figures must be the ones src/model/validation.h records (the report states them):
# a change of the method that changes them fails here until the header is made again.
# The sanitizer build, several times slower, runs a small study through the same code for
# memory and undefined-behaviour errors; the build without sanitizers makes the figures.
if(TL_SANITIZE)
  add_test(NAME validation/calibrate
           COMMAND calibrate --replicates 12 --effect-replicates 6 --permutations 19 --seed 1)
  set_tests_properties(validation/calibrate PROPERTIES TIMEOUT 900)
else()
  add_test(NAME validation/calibrate
           COMMAND sh -c "\"$1\" --check --replicates 200 --effect-replicates 100 \
                   --permutations 99 --seed 1 --header \"$2\" && cmp \"$2\" \"$3\" || \
                   { echo 'src/model/validation.h differs from the figures measured now \
(make it again with the command at its top)'; diff \"$3\" \"$2\"; exit 1; }" sh
                   $<TARGET_FILE:calibrate> ${CMAKE_CURRENT_BINARY_DIR}/validation-now.h
                   ${CMAKE_SOURCE_DIR}/src/model/validation.h)
  set_tests_properties(validation/calibrate PROPERTIES TIMEOUT 1200)
endif()

# mkcase's scenario options (tools/calibrate/fullcases.sh) reach ground-truth.json and the
# case that tealeaves analyses: fails when an option is ignored.
add_test(NAME validation/mkcase-options
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/validation/mkcase_options.sh
                 $<TARGET_FILE:mkcase> $<TARGET_FILE:tealeaves>
                 ${CMAKE_BINARY_DIR}/validation-mkcase-options)
