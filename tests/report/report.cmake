# The evidence report (`tealeaves report`) on the sample case, checked with external tools:
# pdfinfo, pdffonts, pdftotext, pdfdetach (poppler-utils), qpdf, jq and the PDFBox preflight
# validator (Java). A missing tool fails the test (check.sh says which package to install).
# Each test has its own scratch directory under report-check/, so ctest -j can run them together.
foreach(mode content pdfa1b determinism failure)
  add_test(NAME report/${mode}
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/report/check.sh ${mode} $<TARGET_FILE:tealeaves>
                   ${CMAKE_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/report-check)
  set_tests_properties(report/${mode} PROPERTIES TIMEOUT 600)
endforeach()

# The manifest covers every file the report depends on (issue: provenance).
add_test(NAME report/manifest
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/report/manifest.sh $<TARGET_FILE:tealeaves>
                 ${CMAKE_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/report-manifest)
set_tests_properties(report/manifest PROPERTIES TIMEOUT 600)

# What the report says of its manifest is what the manifest holds (issue 11, part 2).
add_test(NAME report/provenance
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/report/provenance.sh $<TARGET_FILE:tealeaves>
                 ${CMAKE_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/report-provenance)
set_tests_properties(report/provenance PROPERTIES TIMEOUT 600)

# The side files (--csv, --charts): CSV columns and values as docs/exports.md says, figure
# numbers, captions and report ID on the charts, nothing cut.
add_test(NAME report/exports
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/report/exports.sh $<TARGET_FILE:tealeaves>
                 ${CMAKE_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/report-exports)
set_tests_properties(report/exports PROPERTIES TIMEOUT 600)

# A text search finds every name, address, network and hash the report prints, whole
# (issue 11, part 3: search.sh says which ones and why).
add_test(NAME report/search
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/report/search.sh $<TARGET_FILE:tealeaves>
                 ${CMAKE_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/report-search)
set_tests_properties(report/search PROPERTIES TIMEOUT 600)
