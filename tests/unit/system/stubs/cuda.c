/* A stand-in for NVIDIA's libcuda.so.1 (the driver API), for the detection tests. What it
 * reports and how it misbehaves come from compile definitions (see CMakeLists.txt next to it):
 *   STUB_CUDA_VERSION  int, as cuDriverGetVersion encodes it (12040 = 12.4)
 *   STUB_GPU_COUNT     0..2, with STUB_GPU<i>_NAME / STUB_GPU<i>_MAJOR / STUB_GPU<i>_MINOR
 *   STUB_INIT          0 works, 1 returns CUDA_ERROR_NO_DEVICE, 2 hangs, 3 aborts
 * With STUB_INIT 0, cuInit also fails (CUDA_ERROR_NO_DEVICE) when CUDA_VISIBLE_DEVICES is
 * set to an empty value, as the real driver does: the probe must unset it.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef STUB_CUDA_VERSION
#define STUB_CUDA_VERSION 12020
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

static const char* names[2] = {STUB_GPU0_NAME, STUB_GPU1_NAME};
static const int majors[2] = {STUB_GPU0_MAJOR, STUB_GPU1_MAJOR};
static const int minors[2] = {STUB_GPU0_MINOR, STUB_GPU1_MINOR};
static int initialised = 0;

int cuInit(unsigned flags) {
    const char* visible = getenv("CUDA_VISIBLE_DEVICES");
    if (flags != 0) {
        return 1; /* CUDA_ERROR_INVALID_VALUE */
    }
    if (STUB_INIT == 1 || (visible != NULL && visible[0] == '\0')) {
        return 100; /* CUDA_ERROR_NO_DEVICE */
    }
    if (STUB_INIT == 2) {
        for (;;) {
            pause();
        }
    }
    if (STUB_INIT == 3) {
        abort();
    }
    initialised = 1;
    return 0;
}

int cuDriverGetVersion(int* version) {
    *version = STUB_CUDA_VERSION; /* works without cuInit, like the real one */
    return 0;
}

int cuDeviceGetCount(int* count) {
    if (!initialised) {
        return 3; /* CUDA_ERROR_NOT_INITIALIZED */
    }
    *count = STUB_GPU_COUNT;
    return 0;
}

int cuDeviceGet(int* device, int ordinal) {
    if (!initialised || ordinal < 0 || ordinal >= STUB_GPU_COUNT) {
        return 101; /* CUDA_ERROR_INVALID_DEVICE */
    }
    *device = ordinal;
    return 0;
}

int cuDeviceGetName(char* name, int length, int device) {
    if (!initialised || device < 0 || device >= STUB_GPU_COUNT || length <= 0) {
        return 101;
    }
    strncpy(name, names[device], (size_t)length - 1);
    name[length - 1] = '\0';
    return 0;
}

int cuDeviceGetAttribute(int* value, int attribute, int device) {
    if (!initialised || device < 0 || device >= STUB_GPU_COUNT) {
        return 101;
    }
    if (attribute == 75) {
        *value = majors[device];
    } else if (attribute == 76) {
        *value = minors[device];
    } else {
        return 1;
    }
    return 0;
}
