# Debian package: `cmake --build --preset release && cpack --config build/release/CPackConfig.cmake`
install(FILES ${PROJECT_SOURCE_DIR}/packaging/ferry-agent.service
    DESTINATION lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/ferry.sysusers
    DESTINATION lib/sysusers.d RENAME ferry.conf)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/ferry.tmpfiles
    DESTINATION lib/tmpfiles.d RENAME ferry.conf)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/agent.conf
    DESTINATION /etc/ferry PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/configuration.md
    ${PROJECT_SOURCE_DIR}/docs/protocol.md ${PROJECT_SOURCE_DIR}/docs/operations.md
    DESTINATION share/doc/ferry)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ferry)
set(CPACK_PACKAGE_VENDOR "Ferry")
set(CPACK_PACKAGE_CONTACT "Ferry maintainers <maintainers@ferry.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "On-premises event delivery platform (agent)")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# conffiles: dpkg keeps the operator's edits of agent.conf on upgrade (CPack does not mark files
# under /etc by itself). The postinst makes agent.conf readable by the service (root:ferry 0640).
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_SOURCE_DIR}/packaging/postinst
    ${PROJECT_SOURCE_DIR}/packaging/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
