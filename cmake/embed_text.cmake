# cenv_embed_text(TARGET FILE NAMESPACE SYMBOL): compiles the text of FILE into TARGET as
# `extern const std::string_view NAMESPACE::SYMBOL`. Facts live in data files (STYLE.md);
# this keeps them out of C++ source while the binary still needs no file at run time.
# CMake re-runs (and regenerates the source) when FILE changes.
function(cenv_embed_text target file namespace symbol)
    set(CENV_EMBED_NAMESPACE ${namespace})
    set(CENV_EMBED_SYMBOL ${symbol})
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
    file(READ ${file} CENV_EMBED_TEXT)
    string(FIND "${CENV_EMBED_TEXT}" ")cenv_embedded\"" collision)
    if(NOT collision EQUAL -1)
        message(FATAL_ERROR "${file} contains the raw string delimiter used to embed it")
    endif()
    set(out ${CMAKE_CURRENT_BINARY_DIR}/embedded/${symbol}.cpp)
    configure_file(${PROJECT_SOURCE_DIR}/cmake/embed_text.cpp.in ${out} @ONLY)
    target_sources(${target} PRIVATE ${out})
endfunction()
