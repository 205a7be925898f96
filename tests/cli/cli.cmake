# What the commands do with what stands at an output path (util/outfile.h): every kind of
# target, as root and again as an unprivileged user when started as root.
add_test(NAME cli/outputs
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/outputs.sh $<TARGET_FILE:tealeaves>
                 ${CMAKE_SOURCE_DIR}/samples ${CMAKE_BINARY_DIR}/cli-outputs)
set_tests_properties(cli/outputs PROPERTIES TIMEOUT 300)
add_test(NAME cli/help
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/help.sh $<TARGET_FILE:tealeaves>)
