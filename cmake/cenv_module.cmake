# cenv_module(NAME DEPS...): one static library per source folder, named cenv_<folder>,
# built from every .cpp in that folder; headers live next to the sources and are included
# as "<folder>/<file>.hpp" from src/.
function(cenv_module name)
    file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
    add_library(cenv_${name} STATIC ${sources})
    target_include_directories(cenv_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(cenv_${name} PUBLIC ${ARGN})
endfunction()
