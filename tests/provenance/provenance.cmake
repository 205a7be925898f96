# Provenance: `tealeaves verify`, `tealeaves bundle` and report signatures on a copy of
# the sample case (tests/provenance/verify.sh; one scratch directory per mode).
foreach(mode pass moved bundle tamper sign attacks)
  add_test(NAME provenance/${mode}
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/provenance/verify.sh ${mode}
                   $<TARGET_FILE:tealeaves> ${CMAKE_SOURCE_DIR}
                   ${CMAKE_CURRENT_BINARY_DIR}/provenance-check)
  set_tests_properties(provenance/${mode} PROPERTIES TIMEOUT 900)
endforeach()
