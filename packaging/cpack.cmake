# A Debian package of the tool: `cpack -G DEB` in the build folder.  Its
# dependencies are Debian's runtime libraries, found by dpkg-shlibdeps from
# the binary, plus OpenBLAS, which the tool opens at run time (dlopen, so no
# link shows it: src/vecmath/blas.h).
set(CPACK_PACKAGE_NAME valkey-memstress)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "stress-test the memory of Valkey-Search across a vector index's life")
set(CPACK_PACKAGE_CONTACT "valkey-memstress developers <valkey-memstress@localhost>")
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libopenblas0 | libblas3")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnuplot-nox")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "redis-tools, prometheus-pushgateway")
set(CPACK_STRIP_FILES ON)
include(CPack)
