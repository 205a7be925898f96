# Charts: a demonstration program writes every chart kind as SVG and PNG from made-up
# data; the test runs it twice and requires byte-identical files.
add_executable(chart_demo ${CMAKE_CURRENT_SOURCE_DIR}/chart/chart_demo.c)
target_compile_options(chart_demo PRIVATE ${TL_WARNINGS})
target_compile_definitions(chart_demo PRIVATE _GNU_SOURCE)
target_link_libraries(chart_demo PRIVATE tealeaves_core)
add_test(NAME chart/deterministic
         COMMAND ${CMAKE_COMMAND} -DDEMO=$<TARGET_FILE:chart_demo>
                 -DOUT=${CMAKE_CURRENT_BINARY_DIR}/chart_out
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/chart/check.cmake)
