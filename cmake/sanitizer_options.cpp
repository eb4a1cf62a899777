// Built into every cenv executable (the binary, the tests, the fuzz targets); read by the
// AddressSanitizer runtime at start-up, ignored by ordinary builds.
//
// Debian's libsimdjson creates its parser implementation with operator new inside the
// library and releases it through free() inside the library too; ASan reports that as an
// alloc-dealloc mismatch although both sides are the library's own code. Every other
// check stays on and fatal.

extern "C" const char* __asan_default_options();  // NOLINT(bugprone-reserved-identifier)

extern "C" const char* __asan_default_options() {  // NOLINT(bugprone-reserved-identifier)
    return "alloc_dealloc_mismatch=0";
}
