# The layers of docs/architecture.md: the include matrix and the wrapped libraries, read from
# the sources; and that the build itself refuses an upward include.
add_test(NAME build/layers COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/check.sh ${CMAKE_SOURCE_DIR}/src)
add_test(NAME build/layers-enforced
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/enforce.sh ${CMAKE_C_COMPILER}
                 ${CMAKE_BINARY_DIR}/layers ${CMAKE_SOURCE_DIR}/src)
