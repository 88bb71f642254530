# Install rules (`cmake --install BUILD --prefix PREFIX`):
#   lib/libtslake.a                      every layer library bundled into one archive
#   lib/libtslake.so                     the same as a shared library (public API exported only)
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
# Zstd (segments), RE2 (regexp_* functions), ICU (time zones), threads, the
# C++ runtime (for C programs linked by the C compiler) and libm.
set(TSLAKE_PRIVATE_LIBS simdjson sqlite3 lz4 zstd re2 icui18n icuuc icudata pthread stdc++ m)
if(TSLAKE_SIMDJSON_SOURCE_DIR)
  # simdjson compiled from source (ingest/CMakeLists.txt) goes into the bundle.
  list(APPEND TSLAKE_BUNDLED_LAYERS tslake_simdjson)
  list(REMOVE_ITEM TSLAKE_PRIVATE_LIBS simdjson)
endif()

# The bundle is one relocatable object: `ld -r` links every member of each
# layer archive into bundle/libtslake.o, then localize_engine_symbols.sh
# makes every engine symbol (namespace tsl; FaultInjectionEnv is not in it
# at all) local, keeping global the public API (the C functions tslake_*,
# namespace tslake: the C++ API, its vtables and typeinfo), so a program or
# shared object linking libtslake.a can neither clash with nor export the
# engine's ~2,200 symbols (issue 23; Tessil's hash maps also use namespace
# tsl). This gives the exported set of -fvisibility=hidden without
# rebuilding every layer with it.
# tests/embed/install_test.sh checks the exported set with readelf.
set(TSLAKE_BUNDLE_OBJECT ${PROJECT_BINARY_DIR}/bundle/libtslake.o)
set(_tslake_layer_files)
foreach(_layer ${TSLAKE_BUNDLED_LAYERS})
  list(APPEND _tslake_layer_files $<TARGET_FILE:${_layer}>)
endforeach()
set(TSLAKE_OBJCOPY ${CMAKE_OBJCOPY})
set(TSLAKE_LD ${CMAKE_LINKER})
if(NOT TSLAKE_OBJCOPY OR NOT TSLAKE_LD)
  message(FATAL_ERROR "bundling libtslake.a needs ld and objcopy (binutils)")
endif()

add_custom_command(
  OUTPUT ${TSLAKE_BUNDLE} ${TSLAKE_BUNDLE_OBJECT}
  COMMAND ${CMAKE_COMMAND} -E remove -f ${TSLAKE_BUNDLE} ${TSLAKE_BUNDLE_OBJECT}
  COMMAND ${TSLAKE_LD} -r --whole-archive ${_tslake_layer_files} -o ${TSLAKE_BUNDLE_OBJECT}
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/localize_engine_symbols.sh ${TSLAKE_OBJCOPY} ${TSLAKE_BUNDLE_OBJECT}
  COMMAND ${CMAKE_AR} rc ${TSLAKE_BUNDLE} ${TSLAKE_BUNDLE_OBJECT}
  COMMAND ${CMAKE_RANLIB} ${TSLAKE_BUNDLE}
  DEPENDS ${TSLAKE_BUNDLED_LAYERS} ${CMAKE_CURRENT_LIST_DIR}/localize_engine_symbols.sh
  COMMENT "Bundling the layer libraries into bundle/libtslake.a (public API global, engine local)"
  VERBATIM)
add_custom_target(tslake_bundle ALL DEPENDS ${TSLAKE_BUNDLE})

# lib/libtslake.so: the same bundle object as a shared library, for hosts
# that load tslake dynamically. The engine's symbols are local in the
# bundle already (the effect of -fvisibility=hidden, above); the version
# script cmake/tslake.map also keeps the library-template instances
# (std::, nlohmann::) inside, so its dynamic symbol table is the public API
# only: tslake_* and namespace tslake. tests/embed/shared_symbols_test.sh
# checks that with nm -D.
set_source_files_properties(${TSLAKE_BUNDLE_OBJECT} PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
add_library(tslake_shared SHARED ${TSLAKE_BUNDLE_OBJECT})
add_dependencies(tslake_shared tslake_bundle)
set_target_properties(tslake_shared PROPERTIES OUTPUT_NAME tslake LINKER_LANGUAGE CXX
                      LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bundle
                      VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}
                      LINK_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/tslake.map)
target_link_options(tslake_shared PRIVATE -Wl,--version-script=${CMAKE_CURRENT_LIST_DIR}/tslake.map
                    -Wl,--no-undefined)
# ICU by name: its imported targets are local to formats/CMakeLists.txt.
target_link_libraries(tslake_shared PRIVATE SQLite::SQLite3 PkgConfig::LZ4 PkgConfig::ZSTD PkgConfig::RE2
                      icui18n icuuc icudata Threads::Threads)
if(NOT TSLAKE_SIMDJSON_SOURCE_DIR)
  target_link_libraries(tslake_shared PRIVATE simdjson::simdjson)
endif()

# The bundle is part of ALL, and `cmake --install` also builds it first, so
# installing a tree built with `--target tslake_cli` (or any other subset)
# does not fail on a missing bundle/libtslake.a (issue 23); an up-to-date
# bundle makes this a no-op.
install(CODE "execute_process(COMMAND \"${CMAKE_COMMAND}\" --build \"${PROJECT_BINARY_DIR}\" --target tslake_bundle tslake_shared
                              RESULT_VARIABLE _tslake_bundle_rc)
              if(NOT _tslake_bundle_rc EQUAL 0)
                message(FATAL_ERROR \"building bundle/libtslake.a and libtslake.so failed\")
              endif()")
install(FILES ${TSLAKE_BUNDLE} DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS tslake_shared LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
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
