/* A stand-in for NVIDIA's libnvidia-ml.so.1, for the detection tests. What it reports and how
 * it misbehaves come from compile definitions (see CMakeLists.txt next to it):
 *   STUB_CUDA_VERSION    int, the driver's CUDA version as NVML encodes it (12020 = 12.2)
 *   STUB_DRIVER_VERSION  string
 *   STUB_GPU_COUNT       0..2, with STUB_GPU<i>_NAME / STUB_GPU<i>_MAJOR / STUB_GPU<i>_MINOR
 *   STUB_INIT            0 works, 1 returns NVML_ERROR_DRIVER_NOT_LOADED, 2 hangs, 3 crashes
 *   STUB_NO_CUDA_VERSION defined: the library lacks nvmlSystemGetCudaDriverVersion(_v2)
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#ifndef STUB_CUDA_VERSION
#define STUB_CUDA_VERSION 12020
#endif
#ifndef STUB_DRIVER_VERSION
#define STUB_DRIVER_VERSION "535.104.05"
#endif
#ifndef STUB_GPU_COUNT
#define STUB_GPU_COUNT 0
#endif
#ifndef STUB_INIT
#define STUB_INIT 0
#endif
#ifndef STUB_GPU0_NAME
#define STUB_GPU0_NAME "GPU 0"
#define STUB_GPU0_MAJOR 0
#define STUB_GPU0_MINOR 0
#endif
#ifndef STUB_GPU1_NAME
#define STUB_GPU1_NAME "GPU 1"
#define STUB_GPU1_MAJOR 0
#define STUB_GPU1_MINOR 0
#endif

struct stub_device {
    const char* name;
    int major;
    int minor;
};
static struct stub_device devices[2] = {{STUB_GPU0_NAME, STUB_GPU0_MAJOR, STUB_GPU0_MINOR},
                                        {STUB_GPU1_NAME, STUB_GPU1_MAJOR, STUB_GPU1_MINOR}};
static int initialised = 0;

static int copy_text(char* out, unsigned length, const char* text) {
    if (strlen(text) + 1 > length) {
        return 7; /* NVML_ERROR_INSUFFICIENT_SIZE */
    }
    strcpy(out, text);
    return 0;
}

int nvmlInit_v2(void) {
    if (STUB_INIT == 1) {
        return 9; /* NVML_ERROR_DRIVER_NOT_LOADED */
    }
    if (STUB_INIT == 2) {
        for (;;) {
            pause();
        }
    }
    if (STUB_INIT == 3) {
        raise(SIGSEGV);
    }
    initialised = 1;
    return 0;
}

int nvmlShutdown(void) {
    initialised = 0;
    return 0;
}

#ifndef STUB_NO_CUDA_VERSION
int nvmlSystemGetCudaDriverVersion_v2(int* version) {
    if (!initialised) {
        return 1; /* NVML_ERROR_UNINITIALIZED */
    }
    *version = STUB_CUDA_VERSION;
    return 0;
}
#endif

int nvmlSystemGetDriverVersion(char* version, unsigned length) {
    return initialised ? copy_text(version, length, STUB_DRIVER_VERSION) : 1;
}

int nvmlDeviceGetCount_v2(unsigned* count) {
    if (!initialised) {
        return 1;
    }
    *count = STUB_GPU_COUNT;
    return 0;
}

int nvmlDeviceGetHandleByIndex_v2(unsigned index, void** device) {
    const unsigned count = STUB_GPU_COUNT;
    if (!initialised || index + 1 > count || index >= 2) {
        return 2; /* NVML_ERROR_INVALID_ARGUMENT */
    }
    *device = &devices[index];
    return 0;
}

int nvmlDeviceGetName(void* device, char* name, unsigned length) {
    return copy_text(name, length, ((struct stub_device*)device)->name);
}

int nvmlDeviceGetCudaComputeCapability(void* device, int* major, int* minor) {
    *major = ((struct stub_device*)device)->major;
    *minor = ((struct stub_device*)device)->minor;
    return 0;
}
