# What the commands do with what stands at an output path (util/outfile.h): every kind of
# target, as root and again as an unprivileged user when started as root.
add_test(NAME cli/outputs
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/outputs.sh $<TARGET_FILE:tealeaves>
                 ${CMAKE_SOURCE_DIR}/samples ${CMAKE_BINARY_DIR}/cli-outputs)
set_tests_properties(cli/outputs PROPERTIES TIMEOUT 300)
add_test(NAME cli/help
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/help.sh $<TARGET_FILE:tealeaves>)
# The man page against the commands' --help, the exit codes and the variables the code
# reads; and that groff and mandoc render it without a warning.
add_test(NAME cli/man
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/man.sh $<TARGET_FILE:tealeaves>
                 ${CMAKE_SOURCE_DIR}/man/tealeaves.1 ${CMAKE_SOURCE_DIR})
# cmake --install into a scratch prefix, then the installed binary alone makes and
# verifies the sample report (the same bytes as the build tree's binary).
add_test(NAME cli/install
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/install.sh ${CMAKE_COMMAND}
                 ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR} $<TARGET_FILE:tealeaves>
                 ${CMAKE_BINARY_DIR}/cli-install)
set_tests_properties(cli/install PROPERTIES TIMEOUT 300)
