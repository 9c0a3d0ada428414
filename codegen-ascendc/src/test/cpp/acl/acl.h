// TEST STAND-IN for CANN's acl/acl.h: just the host runtime calls Tessera's generated main.asc makes, on
// plain host memory, so that the generated host program can be compiled and run here against the CPU
// stand-in of the kernels. Not a product; not the ACL API's behaviour beyond what the test needs.
#ifndef TESSERA_ACL_STANDIN_H
#define TESSERA_ACL_STANDIN_H
#include <cstdlib>
#include <cstring>

typedef int aclError;
typedef void *aclrtStream;
#define ACL_SUCCESS 0
enum aclrtMemMallocPolicy { ACL_MEM_MALLOC_HUGE_FIRST };
enum aclrtMemcpyKind { ACL_MEMCPY_HOST_TO_DEVICE, ACL_MEMCPY_DEVICE_TO_HOST };

inline aclError aclInit(const char *) { return ACL_SUCCESS; }
inline aclError aclFinalize() { return ACL_SUCCESS; }
inline aclError aclrtSetDevice(int) { return ACL_SUCCESS; }
inline aclError aclrtResetDevice(int) { return ACL_SUCCESS; }
inline aclError aclrtCreateStream(aclrtStream *s) { *s = nullptr; return ACL_SUCCESS; }
inline aclError aclrtDestroyStream(aclrtStream) { return ACL_SUCCESS; }
inline aclError aclrtSynchronizeStream(aclrtStream) { return ACL_SUCCESS; }
inline aclError aclrtMalloc(void **p, size_t n, aclrtMemMallocPolicy)
{
    *p = std::malloc(n);
    if (*p) std::memset(*p, 0xFF, n);  // poison, as device memory is not zeroed
    return *p ? ACL_SUCCESS : 1;
}
inline aclError aclrtFree(void *p) { std::free(p); return ACL_SUCCESS; }
inline aclError aclrtMemcpy(void *dst, size_t dstMax, const void *src, size_t n, aclrtMemcpyKind)
{
    if (n > dstMax) return 1;
    std::memcpy(dst, src, n);
    return ACL_SUCCESS;
}
#endif
