/* A stand-in for PyTorch's libtorch_python.so: what matters to cenv doctor is the string
 * literal torch._C._cuda_getArchFlags() returns (C10_STRINGIZE(CUDA_ARCH_FLAGS)), which the
 * compiler puts in the library's read-only data. STUB_ARCH_FLAGS is set per scenario by
 * CMakeLists.txt; a library built without it has no architecture list (a CPU build). The
 * other strings are decoys that mention architectures without being the list. */

const char* cenv_stub_warning(void) {
    return "%s with CUDA capability sm_%d%d is not compatible with the current PyTorch "
           "installation.";
}

const char* cenv_stub_single(void) {
    return "sm_80";
}

#ifdef STUB_ARCH_FLAGS
const char* cenv_stub_arch_flags(void) {
    static const char* flags = STUB_ARCH_FLAGS;
    return flags;
}
#endif
