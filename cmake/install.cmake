# Install rules (`cmake --install BUILD --prefix PREFIX`):
#   lib/libtslake.a                      every layer library bundled into one archive
#   include/tslake/tslake.h, tslake.hpp  the public C and C++ API
#   lib/cmake/tslake/                    find_package(tslake) -> tslake::tslake
#   lib/pkgconfig/tslake.pc              pkg-config --static --libs tslake
# Both package files locate the prefix relative to themselves, so an
# installed tree can be moved. Included once from the top-level CMakeLists.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The layers in link order (a user of one needs everything to its right).
set(TSLAKE_BUNDLED_LAYERS tslake tslake_query tslake_ingest tslake_storage tslake_formats)
set(TSLAKE_BUNDLE ${PROJECT_BINARY_DIR}/bundle/libtslake.a)
# Third-party libraries the static archive needs, for Libs.private and the
# imported target: simdjson (PI Web API reader), SQLite (catalog), LZ4 and
# Zstd (segments), RE2 (regexp_* functions), threads, the
# C++ runtime (for C programs linked by the C compiler) and libm.
set(TSLAKE_PRIVATE_LIBS simdjson sqlite3 lz4 zstd re2 pthread stdc++ m)
if(TSLAKE_SIMDJSON_SOURCE_DIR)
  # simdjson compiled from source (ingest/CMakeLists.txt) goes into the bundle.
  list(APPEND TSLAKE_BUNDLED_LAYERS tslake_simdjson)
  list(REMOVE_ITEM TSLAKE_PRIVATE_LIBS simdjson)
endif()

# ar's MRI script: ADDLIB copies every member of each layer archive.
set(_tslake_mri "CREATE ${TSLAKE_BUNDLE}\n")
foreach(_layer ${TSLAKE_BUNDLED_LAYERS})
  string(APPEND _tslake_mri "ADDLIB $<TARGET_FILE:${_layer}>\n")
endforeach()
string(APPEND _tslake_mri "SAVE\nEND\n")
file(GENERATE OUTPUT ${PROJECT_BINARY_DIR}/bundle/libtslake.mri CONTENT "${_tslake_mri}")

add_custom_command(
  OUTPUT ${TSLAKE_BUNDLE}
  COMMAND ${CMAKE_COMMAND} -E remove -f ${TSLAKE_BUNDLE}
  COMMAND sh -c "\"${CMAKE_AR}\" -M < \"${PROJECT_BINARY_DIR}/bundle/libtslake.mri\""
  COMMAND ${CMAKE_RANLIB} ${TSLAKE_BUNDLE}
  DEPENDS ${TSLAKE_BUNDLED_LAYERS} ${PROJECT_BINARY_DIR}/bundle/libtslake.mri
  COMMENT "Bundling the layer libraries into bundle/libtslake.a"
  VERBATIM)
add_custom_target(tslake_bundle ALL DEPENDS ${TSLAKE_BUNDLE})

install(FILES ${TSLAKE_BUNDLE} DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${PROJECT_SOURCE_DIR}/include/tslake/tslake.h ${PROJECT_SOURCE_DIR}/include/tslake/tslake.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tslake)

# pkg-config: ${pcfiledir} keeps the file relocatable.
list(JOIN TSLAKE_PRIVATE_LIBS " -l" _tslake_libs_private)
set(TSLAKE_PC_LIBS_PRIVATE "-l${_tslake_libs_private}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/tslake.pc.in ${PROJECT_BINARY_DIR}/bundle/tslake.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/bundle/tslake.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# CMake package: tslake::tslake, an imported static library.
set(TSLAKE_CONFIG_LIBS ${TSLAKE_PRIVATE_LIBS})
list(TRANSFORM TSLAKE_CONFIG_LIBS REPLACE "^pthread$" "Threads::Threads")
configure_file(${CMAKE_CURRENT_LIST_DIR}/tslakeConfig.cmake.in ${PROJECT_BINARY_DIR}/bundle/tslakeConfig.cmake @ONLY)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/bundle/tslakeConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/bundle/tslakeConfig.cmake ${PROJECT_BINARY_DIR}/bundle/tslakeConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tslake)
