# Man pages: the commands and options from the built binary's own --help, the rest (description,
# files, environment, exit status) from packaging/man/<program>.h2m. The package gets gzip -9n
# copies (no name or time stamp inside: the same bytes on every build).
find_package(Python3 REQUIRED COMPONENTS Interpreter)
function(ferry_man_page program section component)
    set(generator ${PROJECT_SOURCE_DIR}/packaging/man/help-to-man.py)
    set(include ${PROJECT_SOURCE_DIR}/packaging/man/${program}.h2m)
    set(out ${CMAKE_BINARY_DIR}/man/${program}.${section})
    # detect_leaks=0: a sanitizer build's leak report must not fail the build over --help;
    # offscreen: the console's --help needs no display.
    add_custom_command(OUTPUT ${out} ${out}.gz
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
        COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0 QT_QPA_PLATFORM=offscreen
            ${Python3_EXECUTABLE} ${generator} --program $<TARGET_FILE:${program}>
            --section ${section} --version ${PROJECT_VERSION} --include ${include} --output ${out}
        COMMAND gzip -9nkf ${out}
        DEPENDS ${program} ${generator} ${include}
        COMMENT "Writing the man page ${program}(${section})" VERBATIM)
    install(FILES ${out}.gz DESTINATION share/man/man${section} COMPONENT ${component})
endfunction()
ferry_man_page(ferry-agent 8 agent)
ferry_man_page(ferryctl 1 agent)
ferry_man_page(ferry-console 1 console)
add_custom_target(ferry_man ALL
    DEPENDS ${CMAKE_BINARY_DIR}/man/ferry-agent.8.gz ${CMAKE_BINARY_DIR}/man/ferryctl.1.gz
    ${CMAKE_BINARY_DIR}/man/ferry-console.1.gz)
