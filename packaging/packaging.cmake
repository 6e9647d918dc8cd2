# Debian packages ferry-agent and ferry-console, from the normal build:
#   cmake --preset release && cmake --build --preset release
#   cpack --config build/release/CPackConfig.cmake -B build/release/packages
# Each install() of the project names its component: agent (the server package) or console.
set(FERRY_PACKAGING_DIR ${CMAKE_BINARY_DIR}/packaging)
include(${CMAKE_CURRENT_LIST_DIR}/man/manpages.cmake)

# /etc/ferry/agent.conf: every key commented out with its default, from the agent's key table.
add_custom_command(OUTPUT ${FERRY_PACKAGING_DIR}/agent.conf
    COMMAND ${CMAKE_COMMAND} -E make_directory ${FERRY_PACKAGING_DIR}
    COMMAND sh -c "\"$1\" config --sample > \"$2\"" sh $<TARGET_FILE:ferry-agent>
        ${FERRY_PACKAGING_DIR}/agent.conf
    DEPENDS ferry-agent VERBATIM)
# The changelog each package's doc folder carries (Debian policy 12.7), compressed as dpkg wants.
configure_file(${PROJECT_SOURCE_DIR}/packaging/changelog.in ${FERRY_PACKAGING_DIR}/changelog @ONLY)
add_custom_command(OUTPUT ${FERRY_PACKAGING_DIR}/changelog.gz
    COMMAND gzip -9nf -k ${FERRY_PACKAGING_DIR}/changelog
    DEPENDS ${FERRY_PACKAGING_DIR}/changelog VERBATIM)
add_custom_target(ferry_packaging_files ALL
    DEPENDS ${FERRY_PACKAGING_DIR}/agent.conf ${FERRY_PACKAGING_DIR}/changelog.gz)

# ferry-agent
install(FILES ${PROJECT_SOURCE_DIR}/packaging/ferry-agent.service
    DESTINATION /lib/systemd/system COMPONENT agent)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/ferry.sysusers
    DESTINATION lib/sysusers.d RENAME ferry.conf COMPONENT agent)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/ferry.tmpfiles
    DESTINATION lib/tmpfiles.d RENAME ferry.conf COMPONENT agent)
install(FILES ${FERRY_PACKAGING_DIR}/agent.conf
    DESTINATION /etc/ferry PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ COMPONENT agent)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/configuration.md
    ${PROJECT_SOURCE_DIR}/docs/protocol.md ${PROJECT_SOURCE_DIR}/docs/operations.md
    ${PROJECT_SOURCE_DIR}/docs/security.md ${PROJECT_SOURCE_DIR}/docs/metrics.md
    ${PROJECT_SOURCE_DIR}/packaging/copyright ${FERRY_PACKAGING_DIR}/changelog.gz
    DESTINATION share/doc/ferry-agent COMPONENT agent)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/lintian/ferry-agent
    DESTINATION share/lintian/overrides COMPONENT agent)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/examples/prometheus
    DESTINATION share/doc/ferry-agent/examples COMPONENT agent)

# ferry-console
install(FILES ${PROJECT_SOURCE_DIR}/packaging/ferry-console.desktop
    DESTINATION share/applications COMPONENT console)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/ferry-console.svg
    DESTINATION share/icons/hicolor/scalable/apps COMPONENT console)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright ${FERRY_PACKAGING_DIR}/changelog.gz
    DESTINATION share/doc/ferry-console COMPONENT console)

set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL agent console)
set(CPACK_PACKAGE_NAME ferry)
set(CPACK_PACKAGE_VENDOR "Ferry")
# Each package's synopsis is the first line of its own description below: CPackDeb prepends the
# project-wide summary unless it is CPack's default, so it is set to exactly that.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_PACKAGE_CONTACT "Ferry maintainers <maintainers@ferry.example>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://ferry.example")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_AGENT_PACKAGE_NAME ferry-agent)
# The first line is the synopsis; CPack indents the rest.
set(CPACK_DEBIAN_AGENT_DESCRIPTION "on-premises event delivery agent
ferry-agent takes events over ZeroMQ and HTTP, stores them in PostgreSQL and
delivers them to webhooks, email, SMS, WhatsApp and push providers, with
idempotency keys, retries with backoff, a dead-letter queue with replay,
ordering, rate limits, concurrency caps and circuit breakers.
.
This package holds the agent (a systemd service), ferryctl, and their
configuration and documentation.")
# systemd-sysusers and systemd-tmpfiles make the ferry user and /etc/ferry in the postinst.
set(CPACK_DEBIAN_AGENT_PACKAGE_DEPENDS "systemd")
set(CPACK_DEBIAN_AGENT_PACKAGE_SUGGESTS "postgresql (>= 15)")
# conffiles: dpkg keeps the operator's edits of agent.conf on upgrade (CPack does not mark files
# under /etc by itself).
set(CPACK_DEBIAN_AGENT_PACKAGE_CONTROL_EXTRA ${PROJECT_SOURCE_DIR}/packaging/postinst
    ${PROJECT_SOURCE_DIR}/packaging/prerm ${PROJECT_SOURCE_DIR}/packaging/postrm
    ${PROJECT_SOURCE_DIR}/packaging/conffiles)

set(CPACK_DEBIAN_CONSOLE_PACKAGE_NAME ferry-console)
set(CPACK_DEBIAN_CONSOLE_DESCRIPTION "desktop console for Ferry event delivery agents
The Ferry console connects to ferry-agent's TLS API and shows delivery lag and
failures, channel health and tenant SLAs, the dead-letter queue with replay,
administration and the audit log, and exports delivery reports.")
# Qt's own strings in German (standard buttons); the keychain backend QtKeychain loads at run
# time; the SVG icon engine for the window icon.
set(CPACK_DEBIAN_CONSOLE_PACKAGE_RECOMMENDS "qt6-translations-l10n, libsecret-1-0, libqt6svg6")
set(CPACK_DEBIAN_CONSOLE_PACKAGE_SUGGESTS "gnome-keyring")
include(CPack)
