# Installing Homeward (`cmake --install build [--prefix DIR]`) and packaging it (`cpack`: a .deb).
# docs/operations.md lists what goes where. With the prefix /usr (the package's):
#   /usr/bin/homeward*                       the programs
#   /usr/share/man/man1/homeward*.1.gz       a man page each, made from its --help (help2man)
#   /usr/share/bash-completion/completions/homeward
#   /usr/share/homeward/config/              configuration examples (access.json, rules.json,
#                                            mappings/): copy to /etc/homeward and adapt
#   /usr/share/homeward/web/                 the workspace's assets (static/, govuk-frontend)
#   /usr/share/homeward/dev-credentials.sh   development credentials, for a smoke test only
#   /usr/lib/systemd/system/homeward-*.service
#   /etc/default/homeward                    the services' flags (a conffile)
#   /usr/share/doc/homeward/                 operations, security, architecture; kafka/ (production Kafka)
include(GNUInstallDirs)

set(HOMEWARD_PROGRAMS homeward-aggregator homeward-ingest homeward-web homeward-kafka homeward homeward-import
                      homeward-token)
install(TARGETS ${HOMEWARD_PROGRAMS} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

set(HOMEWARD_DATADIR ${CMAKE_INSTALL_DATADIR}/homeward)
install(DIRECTORY config/ DESTINATION ${HOMEWARD_DATADIR}/config)
install(PROGRAMS deploy/dev-credentials.sh DESTINATION ${HOMEWARD_DATADIR})
install(DIRECTORY web/static DESTINATION ${HOMEWARD_DATADIR}/web)
# govuk-frontend comes from the npm registry (deploy/setup.sh); homeward-web --assets=DIR reads
# DIR/static and DIR/node_modules/govuk-frontend/dist/govuk.
set(HOMEWARD_GOVUK ${PROJECT_SOURCE_DIR}/web/node_modules/govuk-frontend)
if(EXISTS ${HOMEWARD_GOVUK}/dist/govuk)
  install(DIRECTORY ${HOMEWARD_GOVUK}/dist/govuk DESTINATION ${HOMEWARD_DATADIR}/web/node_modules/govuk-frontend/dist)
  install(FILES ${HOMEWARD_GOVUK}/package.json ${HOMEWARD_GOVUK}/README.md  # MIT licence: package.json
          DESTINATION ${HOMEWARD_DATADIR}/web/node_modules/govuk-frontend OPTIONAL)
else()
  message(WARNING "web/node_modules/govuk-frontend is missing (deploy/setup.sh installs it): "
                  "the web workspace's assets will not be installed")
endif()

install(FILES deploy/completion/homeward.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME homeward)
install(FILES docs/operations.md docs/security.md docs/architecture.md docs/limits.md docs/alerts.md README.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES deploy/kafka/README.md deploy/kafka/compose.yaml deploy/kafka/client.properties
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/kafka)
install(PROGRAMS deploy/kafka/create-topics.sh deploy/kafka/acls.sh DESTINATION ${CMAKE_INSTALL_DOCDIR}/kafka)

# Man pages from each program's --help, at build time (help2man; deploy/setup.sh installs it).
find_program(HELP2MAN help2man)
if(HELP2MAN)
  set(HOMEWARD_MAN_PAGES)
  foreach(program ${HOMEWARD_PROGRAMS})
    set(page ${CMAKE_BINARY_DIR}/man/${program}.1)
    add_custom_command(
      OUTPUT ${page} ${page}.gz
      COMMAND bash ${PROJECT_SOURCE_DIR}/deploy/packaging/man-page.sh $<TARGET_FILE:${program}> ${PROJECT_VERSION} ${page}
      # Debian policy 12.1: man pages compressed with gzip -9n (no name or time: reproducible).
      COMMAND gzip -9nfk ${page}
      DEPENDS ${program} ${PROJECT_SOURCE_DIR}/deploy/packaging/man-page.sh
      COMMENT "Man page of ${program}"
      VERBATIM)
    list(APPEND HOMEWARD_MAN_PAGES ${page}.gz)
  endforeach()
  add_custom_target(homeward_man_pages ALL DEPENDS ${HOMEWARD_MAN_PAGES})
  install(FILES ${HOMEWARD_MAN_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(WARNING "help2man not found (deploy/setup.sh installs it): no man pages will be installed")
endif()

# The systemd units and /etc/default/homeward name the installed paths, so they are written at
# install time, for the prefix being installed to (/usr for the package: /etc for its
# configuration, as GNUInstallDirs has it).
install(CODE "set(HOMEWARD_SOURCE_DIR \"${PROJECT_SOURCE_DIR}\")\nset(HOMEWARD_BINARY_DIR \"${CMAKE_BINARY_DIR}\")")
install(CODE [[
  if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
    set(SYSCONFDIR "/etc")
  else()
    set(SYSCONFDIR "${CMAKE_INSTALL_PREFIX}/etc")
  endif()
  set(BINDIR "${CMAKE_INSTALL_PREFIX}/bin")
  set(DATADIR "${CMAKE_INSTALL_PREFIX}/share/homeward")
  set(DOCDIR "${CMAKE_INSTALL_PREFIX}/share/doc/homeward")
  set(staging "${HOMEWARD_BINARY_DIR}/packaging/installed")
  file(MAKE_DIRECTORY "${staging}")
  foreach(unit homeward-aggregator.service homeward-ingest.service homeward-web.service)
    configure_file("${HOMEWARD_SOURCE_DIR}/deploy/systemd/${unit}" "${staging}/${unit}" @ONLY)
    file(INSTALL "${staging}/${unit}" DESTINATION "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
  endforeach()
  configure_file("${HOMEWARD_SOURCE_DIR}/deploy/systemd/homeward.default" "${staging}/homeward" @ONLY)
  file(INSTALL "${staging}/homeward" DESTINATION "${SYSCONFDIR}/default")
]])

# The .deb: `cpack` in the build directory (tests/e2e/package_test.sh builds and installs it).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME homeward)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Homeward maintainers <homeward@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "event hub for children who go missing from home or care")
set(CPACK_PACKAGE_DESCRIPTION
    "Homeward turns each agency's records (police, social care, care homes, return-home-interview
workers, health, education) into events on Kafka and keeps one multi-agency chronology per child,
with risk alerts, for the people who act on it: gRPC with mutual TLS, an access log, a web workspace.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_PREFIX /usr)  # with CPACK_SET_DESTDIR, the prefix CPack installs to (not /usr/local)
set(CPACK_SET_DESTDIR ON)  # /etc/default/homeward lies outside the prefix
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # the library packages, by dpkg-shlibdeps
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
configure_file(${PROJECT_SOURCE_DIR}/deploy/packaging/conffiles ${CMAKE_BINARY_DIR}/packaging/conffiles COPYONLY)
foreach(script postinst prerm postrm)
  configure_file(${PROJECT_SOURCE_DIR}/deploy/packaging/${script} ${CMAKE_BINARY_DIR}/packaging/${script} COPYONLY)
endforeach()
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_BINARY_DIR}/packaging/conffiles ${CMAKE_BINARY_DIR}/packaging/postinst
                                       ${CMAKE_BINARY_DIR}/packaging/prerm ${CMAKE_BINARY_DIR}/packaging/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
