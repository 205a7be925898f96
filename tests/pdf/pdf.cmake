# PDF writer checks with external tools (qpdf, poppler-utils, PDFBox preflight via Java).
# A missing tool fails the test (check.sh says which package to install).
add_executable(pdf_sample ${CMAKE_CURRENT_SOURCE_DIR}/pdf/pdf_sample.c)
target_compile_options(pdf_sample PRIVATE ${TL_WARNINGS})
target_compile_definitions(pdf_sample PRIVATE _GNU_SOURCE)
target_link_libraries(pdf_sample PRIVATE tealeaves_core)
add_test(NAME pdf/check
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/pdf/check.sh $<TARGET_FILE:pdf_sample>
                 ${CMAKE_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/pdf-check)
set_tests_properties(pdf/check PROPERTIES TIMEOUT 300)
