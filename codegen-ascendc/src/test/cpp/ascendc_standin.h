// ascendc_standin.h -- A TEST STAND-IN, NOT A PRODUCT.
//
// A CPU imitation of the small subset of the Ascend C API (Atlas A2 / 910B family) that Tessera's generated
// kernels use, written from the public API documentation so that the generated C++ can be compiled with g++
// and run on a CPU in tests. It models what the generator must respect -- a 192 KiB unified buffer per
// core, 32-byte aligned UB addresses, DataCopy lengths that are whole 32-byte blocks, queue discipline
// (AllocTensor/EnQue/DeQue/FreeTensor), GlobalTensor bounds, Compare's 256-byte repeats, L1/L0 capacities --
// and aborts with a message when a kernel breaks one. It does not model timing, pipe concurrency, caches,
// or the exact rounding of the hardware's transcendental instructions; blocks run one after another.
#ifndef TESSERA_ASCENDC_STANDIN_H
#define TESSERA_ASCENDC_STANDIN_H

#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <limits>
#include <type_traits>
#include <vector>

#define __aicore__
#define __global__
#define __gm__
typedef uint8_t *GM_ADDR;
typedef int event_t;
typedef _Float16 half;

enum pipe_t { PIPE_S, PIPE_V, PIPE_M, PIPE_MTE1, PIPE_MTE2, PIPE_MTE3, PIPE_FIX, PIPE_ALL };

struct bfloat16_t {
    uint16_t bits = 0;
};

namespace tessera_standin {

enum KernelType { KERNEL_TYPE_AIV_ONLY, KERNEL_TYPE_AIC_ONLY, KERNEL_TYPE_MIX_AIC_1_2 };

[[noreturn]] inline void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    std::fprintf(stderr, "ascendc stand-in: ");
    std::vfprintf(stderr, fmt, ap);
    std::fprintf(stderr, "\n");
    va_end(ap);
    std::fflush(stderr);
    std::abort();
}

struct State {
    int64_t blockIdx = 0;
    int64_t blockNum = 1;
    uint32_t vectorCores = 40;
    const char *kernel = "";
    int type = -1;
};

inline State &state()
{
    static State s;
    return s;
}

inline void declare_type(int type) { state().type = type; }

/** Runs blockDim blocks of a kernel one after another, as GetBlockIdx() 0, 1, ... */
inline void launch(const char *name, uint32_t blockDim, const std::function<void()> &body)
{
    State &s = state();
    if (blockDim == 0) fail("%s launched with blockDim 0", name);
    if (blockDim > s.vectorCores) fail("%s launched with blockDim %u > %u vector cores", name, blockDim, s.vectorCores);
    s.kernel = name;
    for (uint32_t b = 0; b < blockDim; b++) {
        s.blockIdx = b;
        s.blockNum = blockDim;
        s.type = -1;
        body();
        if (s.type == KERNEL_TYPE_AIC_ONLY && blockDim > s.vectorCores / 2)
            fail("cube kernel %s launched with blockDim %u > %u cube cores", name, blockDim, s.vectorCores / 2);
    }
}

inline float bf16_to_f32(bfloat16_t b)
{
    uint32_t x = (uint32_t)b.bits << 16;
    float f;
    std::memcpy(&f, &x, 4);
    return f;
}

inline bfloat16_t f32_to_bf16(float f)
{
    uint32_t x;
    std::memcpy(&x, &f, 4);
    bfloat16_t b;
    if ((x & 0x7fffffffu) > 0x7f800000u) {
        b.bits = (uint16_t)((x >> 16) | 0x40u);
        return b;
    }
    x += 0x7fffu + ((x >> 16) & 1u);  // round to nearest even
    b.bits = (uint16_t)(x >> 16);
    return b;
}

template <typename T> inline float to_float(T v) { return (float)v; }
template <> inline float to_float<bfloat16_t>(bfloat16_t v) { return bf16_to_f32(v); }
template <typename T> inline T from_float(float f) { return (T)f; }
template <> inline bfloat16_t from_float<bfloat16_t>(float f) { return f32_to_bf16(f); }

} // namespace tessera_standin

#define KERNEL_TASK_TYPE_DEFAULT(type) ::tessera_standin::declare_type(::tessera_standin::type)
#define TESSERA_LAUNCH(kernel, blockDim, stream, ...) \
    ::tessera_standin::launch(#kernel, (blockDim), [&]() { (void)(stream); kernel(__VA_ARGS__); })

namespace AscendC {

using tessera_standin::fail;

enum class TPosition { GM, VECIN, VECOUT, VECCALC, A1, A2, B1, B2, CO1, CO2 };
enum class RoundMode { CAST_NONE, CAST_RINT, CAST_FLOOR, CAST_CEIL, CAST_ROUND, CAST_TRUNC, CAST_ODD };
enum class CMPMODE { LT, GT, EQ, LE, GE, NE };
enum class SELMODE { VSEL_CMPMASK_SPR, VSEL_TENSOR_SCALAR_MODE, VSEL_TENSOR_TENSOR_MODE };
enum class HardEvent { MTE2_V, V_MTE3, MTE3_V, V_S, S_V, MTE2_S, S_MTE3, MTE1_M, M_MTE1, MTE2_MTE1, M_FIX, FIX_M };

inline int64_t GetBlockIdx() { return tessera_standin::state().blockIdx; }
inline int64_t GetBlockNum() { return tessera_standin::state().blockNum; }

inline float ToFloat(bfloat16_t b) { return tessera_standin::bf16_to_f32(b); }
inline bfloat16_t ToBfloat16(float f) { return tessera_standin::f32_to_bf16(f); }

// ---- on-chip memories ---------------------------------------------------------------------------------

/** One on-chip memory of one core: a byte arena handed out in 32-byte aligned pieces, poisoned with 0xFF. */
struct Arena {
    const char *name = "";
    size_t capacity = 0;
    size_t used = 0;
    uint8_t *base = nullptr;

    void init(const char *n, size_t cap)
    {
        name = n;
        capacity = cap;
        used = 0;
        base = static_cast<uint8_t *>(std::aligned_alloc(64, cap));
        std::memset(base, 0xFF, cap);  // NaN for floats: a read of memory nobody wrote shows
    }
    uint8_t *take(size_t bytes, const char *what)
    {
        size_t b = (bytes + 31) / 32 * 32;
        if (used + b > capacity)
            fail("%s: %s of %zu bytes overflows the %zu-byte %s (%zu already used)", tessera_standin::state().kernel,
                 what, bytes, capacity, name, used);
        uint8_t *p = base + used;
        used += b;
        return p;
    }
    bool holds(const void *p) const { return p >= base && p < base + capacity; }
};

class TPipe;
inline TPipe *&current_pipe()
{
    static TPipe *p = nullptr;
    return p;
}

template <typename T> class LocalTensor {
public:
    T *ptr = nullptr;
    uint32_t len = 0;  // elements
    TPosition pos = TPosition::VECCALC;

    LocalTensor() = default;
    LocalTensor(T *p, uint32_t n, TPosition at) : ptr(p), len(n), pos(at) {}

    LocalTensor operator[](uint32_t offset) const
    {
        if (offset > len) fail("LocalTensor[%u] past its %u elements", offset, len);
        return LocalTensor(ptr + offset, len - offset, pos);
    }
    T GetValue(uint32_t i) const
    {
        if (i >= len) fail("LocalTensor::GetValue(%u) past its %u elements", i, len);
        return ptr[i];
    }
    void SetValue(uint32_t i, T v) const
    {
        if (i >= len) fail("LocalTensor::SetValue(%u) past its %u elements", i, len);
        ptr[i] = v;
    }
    uint32_t GetSize() const { return len; }
    template <typename U> LocalTensor<U> ReinterpretCast() const
    {
        return LocalTensor<U>(reinterpret_cast<U *>(ptr), (uint32_t)((uint64_t)len * sizeof(T) / sizeof(U)), pos);
    }
};

template <typename T> class GlobalTensor {
public:
    T *ptr = nullptr;
    uint64_t size = 0;

    void SetGlobalBuffer(T *p, uint64_t n)
    {
        ptr = p;
        size = n;
    }
    GlobalTensor operator[](uint64_t offset) const
    {
        if (offset > size) fail("%s: GlobalTensor[%llu] past its %llu elements", tessera_standin::state().kernel,
                                (unsigned long long)offset, (unsigned long long)size);
        GlobalTensor g;
        g.ptr = ptr + offset;
        g.size = size - offset;
        return g;
    }
    T GetValue(uint64_t i) const
    {
        if (i >= size) fail("%s: GlobalTensor::GetValue(%llu) past its %llu elements", tessera_standin::state().kernel,
                            (unsigned long long)i, (unsigned long long)size);
        return ptr[i];
    }
    void SetValue(uint64_t i, T v) const
    {
        if (i >= size) fail("%s: GlobalTensor::SetValue(%llu) past its %llu elements", tessera_standin::state().kernel,
                            (unsigned long long)i, (unsigned long long)size);
        ptr[i] = v;
    }
    uint64_t GetSize() const { return size; }
};

template <TPosition P, int DEPTH> class TQue {
public:
    struct Slot {
        uint8_t *addr;
        uint32_t bytes;
        int state;  // 0 free, 1 allocated (or dequeued), 2 enqueued
    };
    std::vector<Slot> slots;
    std::deque<int> fifo;

    template <typename T> LocalTensor<T> AllocTensor()
    {
        for (size_t i = 0; i < slots.size(); i++) {
            if (slots[i].state == 0) {
                slots[i].state = 1;
                return LocalTensor<T>(reinterpret_cast<T *>(slots[i].addr), slots[i].bytes / sizeof(T), P);
            }
        }
        fail("%s: AllocTensor on a queue whose %zu buffers are all in use", tessera_standin::state().kernel,
             slots.size());
    }
    template <typename T> void EnQue(const LocalTensor<T> &t)
    {
        int i = find(t.ptr, "EnQue");
        if (slots[i].state != 1) fail("%s: EnQue of a buffer that is not allocated", tessera_standin::state().kernel);
        slots[i].state = 2;
        fifo.push_back(i);
    }
    template <typename T> LocalTensor<T> DeQue()
    {
        if (fifo.empty()) fail("%s: DeQue of an empty queue", tessera_standin::state().kernel);
        int i = fifo.front();
        fifo.pop_front();
        slots[i].state = 1;
        return LocalTensor<T>(reinterpret_cast<T *>(slots[i].addr), slots[i].bytes / sizeof(T), P);
    }
    template <typename T> void FreeTensor(const LocalTensor<T> &t)
    {
        int i = find(t.ptr, "FreeTensor");
        if (slots[i].state != 1)
            fail("%s: FreeTensor of a buffer that is %s", tessera_standin::state().kernel,
                 slots[i].state == 0 ? "already free" : "still enqueued");
        slots[i].state = 0;
    }

private:
    int find(const void *p, const char *op)
    {
        for (size_t i = 0; i < slots.size(); i++)
            if (slots[i].addr == p) return (int)i;
        fail("%s: %s of a tensor that is not a buffer of this queue", tessera_standin::state().kernel, op);
    }
};

template <TPosition P> class TBuf {
public:
    uint8_t *addr = nullptr;
    uint32_t bytes = 0;

    template <typename T> LocalTensor<T> Get() const
    {
        if (!addr) fail("%s: TBuf::Get before InitBuffer", tessera_standin::state().kernel);
        return LocalTensor<T>(reinterpret_cast<T *>(addr), bytes / sizeof(T), P);
    }
    template <typename T> LocalTensor<T> Get(uint32_t n) const
    {
        if ((uint64_t)n * sizeof(T) > bytes) fail("%s: TBuf::Get(%u) larger than its %u bytes", tessera_standin::state().kernel, n, bytes);
        return LocalTensor<T>(reinterpret_cast<T *>(addr), n, P);
    }
};

/** Owns a core's on-chip memories: UB 192 KiB, L1 512 KiB, L0A/L0B 64 KiB, L0C 128 KiB (Atlas A2). */
class TPipe {
public:
    Arena ub, l1, l0a, l0b, l0c;

    TPipe()
    {
        ub.init("unified buffer", 192 * 1024);
        l1.init("L1 buffer", 512 * 1024);
        l0a.init("L0A buffer", 64 * 1024);
        l0b.init("L0B buffer", 64 * 1024);
        l0c.init("L0C buffer", 128 * 1024);
        current_pipe() = this;
    }
    ~TPipe()
    {
        std::free(ub.base);
        std::free(l1.base);
        std::free(l0a.base);
        std::free(l0b.base);
        std::free(l0c.base);
        if (current_pipe() == this) current_pipe() = nullptr;
    }
    TPipe(const TPipe &) = delete;
    TPipe &operator=(const TPipe &) = delete;

    template <TPosition P, int D> void InitBuffer(TQue<P, D> &q, uint8_t num, uint32_t len)
    {
        if (num == 0 || num > 2 * D + 2) fail("InitBuffer: %u buffers for a queue of depth %d", num, D);
        for (int i = 0; i < num; i++) q.slots.push_back({arena(P).take(len, "queue buffer"), len, 0});
    }
    template <TPosition P> void InitBuffer(TBuf<P> &b, uint32_t len)
    {
        b.addr = arena(P).take(len, "TBuf");
        b.bytes = len;
    }
    event_t FetchEventID(HardEvent) { return 0; }

    Arena &arena(TPosition p)
    {
        switch (p) {
        case TPosition::VECIN:
        case TPosition::VECOUT:
        case TPosition::VECCALC:
        case TPosition::CO2: return ub;
        case TPosition::A1:
        case TPosition::B1: return l1;
        case TPosition::A2: return l0a;
        case TPosition::B2: return l0b;
        case TPosition::CO1: return l0c;
        default: fail("no on-chip memory for that position");
        }
    }
};

inline TPipe *GetTPipePtr()
{
    if (!current_pipe()) fail("GetTPipePtr with no TPipe alive");
    return current_pipe();
}

template <HardEvent E> inline void SetFlag(event_t) {}
template <HardEvent E> inline void WaitFlag(event_t) {}
template <pipe_t P> inline void PipeBarrier() {}

// ---- checks ---------------------------------------------------------------------------------------------

template <typename T> inline void check_local(const LocalTensor<T> &t, uint64_t count, const char *op)
{
    if (!t.ptr) fail("%s: %s on an unset LocalTensor", tessera_standin::state().kernel, op);
    TPipe *p = GetTPipePtr();
    Arena &a = p->arena(t.pos);
    if (!a.holds(t.ptr)) fail("%s: %s on a LocalTensor outside its %s", tessera_standin::state().kernel, op, a.name);
    if ((reinterpret_cast<const uint8_t *>(t.ptr) - a.base) % 32 != 0)
        fail("%s: %s on a LocalTensor at %s offset %td, not 32-byte aligned", tessera_standin::state().kernel, op,
             a.name, reinterpret_cast<const uint8_t *>(t.ptr) - a.base);
    if (count > t.len)
        fail("%s: %s of %llu elements on a LocalTensor of %u", tessera_standin::state().kernel, op,
             (unsigned long long)count, t.len);
}

template <typename T> inline void check_global(const GlobalTensor<T> &g, uint64_t count, const char *op)
{
    if (!g.ptr) fail("%s: %s on an unset GlobalTensor", tessera_standin::state().kernel, op);
    if (count > g.size)
        fail("%s: %s of %llu elements past a GlobalTensor of %llu", tessera_standin::state().kernel, op,
             (unsigned long long)count, (unsigned long long)g.size);
}

inline void check_blocks(uint64_t bytes, const char *op)
{
    if (bytes % 32 != 0)
        fail("%s: %s of %llu bytes, not a multiple of 32 (the hardware would truncate it; use DataCopyPad)",
             tessera_standin::state().kernel, op, (unsigned long long)bytes);
}

} // namespace AscendC

#include "ascendc_standin_ops.h"
#include "ascendc_standin_cube.h"

#endif
