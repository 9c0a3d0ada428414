// ascendc_standin_ops.h -- A TEST STAND-IN, NOT A PRODUCT: data movement and count-form vector instructions
// of the Ascend C subset Tessera uses, with the documented constraints checked. See ascendc_standin.h.
#ifndef TESSERA_ASCENDC_STANDIN_OPS_H
#define TESSERA_ASCENDC_STANDIN_OPS_H

namespace AscendC {

// ---- data movement --------------------------------------------------------------------------------------

template <typename T> inline void DataCopy(const LocalTensor<T> &dst, const GlobalTensor<T> &src, uint32_t count)
{
    check_blocks((uint64_t)count * sizeof(T), "DataCopy GM->UB");
    check_local(dst, count, "DataCopy GM->UB");
    check_global(src, count, "DataCopy GM->UB");
    std::memcpy(dst.ptr, src.ptr, (size_t)count * sizeof(T));
}

template <typename T> inline void DataCopy(const GlobalTensor<T> &dst, const LocalTensor<T> &src, uint32_t count)
{
    check_blocks((uint64_t)count * sizeof(T), "DataCopy UB->GM");
    check_local(src, count, "DataCopy UB->GM");
    check_global(dst, count, "DataCopy UB->GM");
    std::memcpy(dst.ptr, src.ptr, (size_t)count * sizeof(T));
}

template <typename T> inline void DataCopy(const LocalTensor<T> &dst, const LocalTensor<T> &src, uint32_t count)
{
    check_blocks((uint64_t)count * sizeof(T), "DataCopy UB->UB");
    check_local(dst, count, "DataCopy UB->UB");
    check_local(src, count, "DataCopy UB->UB");
    std::memmove(dst.ptr, src.ptr, (size_t)count * sizeof(T));
}

struct DataCopyExtParams {
    uint16_t blockCount = 0;
    uint32_t blockLen = 0;   // bytes
    uint32_t srcStride = 0;  // GM->UB: bytes between blocks in GM; UB->GM: 32-byte blocks between blocks in UB
    uint32_t dstStride = 0;  // GM->UB: 32-byte blocks between blocks in UB; UB->GM: bytes between blocks in GM
    uint32_t rsv = 0;
};

template <typename T> struct DataCopyPadExtParams {
    bool isPad = false;
    uint8_t leftPadding = 0;
    uint8_t rightPadding = 0;
    T paddingValue = T();
};

/** Unaligned GM->UB: each block of blockLen bytes lands at a 32-byte aligned UB address. */
template <typename T>
inline void DataCopyPad(const LocalTensor<T> &dst, const GlobalTensor<T> &src, const DataCopyExtParams &p,
                        const DataCopyPadExtParams<T> &pad)
{
    if (p.blockLen % sizeof(T) != 0) fail("DataCopyPad blockLen %u is not a whole number of elements", p.blockLen);
    const uint64_t ubBlock = (p.blockLen + 31) / 32 * 32 + (uint64_t)p.dstStride * 32;
    const uint64_t gmBlock = p.blockLen + (uint64_t)p.srcStride;
    check_local(dst, (p.blockCount ? (p.blockCount - 1) * ubBlock + (p.blockLen + 31) / 32 * 32 : 0) / sizeof(T),
                "DataCopyPad GM->UB");
    check_global(src, (p.blockCount ? (p.blockCount - 1) * gmBlock + p.blockLen : 0) / sizeof(T), "DataCopyPad GM->UB");
    for (uint32_t b = 0; b < p.blockCount; b++) {
        uint8_t *d = reinterpret_cast<uint8_t *>(dst.ptr) + b * ubBlock;
        std::memcpy(d, reinterpret_cast<const uint8_t *>(src.ptr) + b * gmBlock, p.blockLen);
        if (pad.isPad) {
            T *t = reinterpret_cast<T *>(d + p.blockLen);
            for (uint32_t i = 0; i < ((p.blockLen + 31) / 32 * 32 - p.blockLen) / sizeof(T); i++) t[i] = pad.paddingValue;
        }
    }
}

/** Unaligned UB->GM: writes exactly blockLen bytes per block. */
template <typename T>
inline void DataCopyPad(const GlobalTensor<T> &dst, const LocalTensor<T> &src, const DataCopyExtParams &p)
{
    if (p.blockLen % sizeof(T) != 0) fail("DataCopyPad blockLen %u is not a whole number of elements", p.blockLen);
    const uint64_t ubBlock = (p.blockLen + 31) / 32 * 32 + (uint64_t)p.srcStride * 32;
    const uint64_t gmBlock = p.blockLen + (uint64_t)p.dstStride;
    check_local(src, (p.blockCount ? (p.blockCount - 1) * ubBlock + p.blockLen : 0) / sizeof(T), "DataCopyPad UB->GM");
    check_global(dst, (p.blockCount ? (p.blockCount - 1) * gmBlock + p.blockLen : 0) / sizeof(T), "DataCopyPad UB->GM");
    for (uint32_t b = 0; b < p.blockCount; b++)
        std::memcpy(reinterpret_cast<uint8_t *>(dst.ptr) + b * gmBlock,
                    reinterpret_cast<const uint8_t *>(src.ptr) + b * ubBlock, p.blockLen);
}

// ---- vector instructions (count form) -----------------------------------------------------------------

template <typename T> constexpr bool is_vec_float = std::is_same<T, float>::value || std::is_same<T, half>::value;
template <typename T> constexpr bool is_vec_arith = is_vec_float<T> || std::is_same<T, int32_t>::value || std::is_same<T, int16_t>::value;

template <typename T> inline T wrap_add(T a, T b)
{
    if constexpr (std::is_integral<T>::value) return (T)((std::make_unsigned_t<T>)a + (std::make_unsigned_t<T>)b);
    else return (T)((float)a + (float)b);
}
template <typename T> inline T wrap_sub(T a, T b)
{
    if constexpr (std::is_integral<T>::value) return (T)((std::make_unsigned_t<T>)a - (std::make_unsigned_t<T>)b);
    else return (T)((float)a - (float)b);
}
template <typename T> inline T wrap_mul(T a, T b)
{
    if constexpr (std::is_integral<T>::value) return (T)((std::make_unsigned_t<T>)a * (std::make_unsigned_t<T>)b);
    else return (T)((float)a * (float)b);
}
// The hardware's NaN behaviour for Max/Min is not documented; the stand-in propagates NaN.
template <typename T> inline T vmax(T a, T b) { return a != a ? a : (b != b ? b : (a > b ? a : b)); }
template <typename T> inline T vmin(T a, T b) { return a != a ? a : (b != b ? b : (a < b ? a : b)); }

#define TESSERA_BINARY(NAME, EXPR, TYPES)                                                                       \
    template <typename T>                                                                                      \
    inline void NAME(const LocalTensor<T> &dst, const LocalTensor<T> &a, const LocalTensor<T> &b, const int32_t &count) \
    {                                                                                                          \
        static_assert(TYPES, #NAME ": element type not supported by the instruction");                           \
        check_local(dst, count, #NAME);                                                                        \
        check_local(a, count, #NAME);                                                                          \
        check_local(b, count, #NAME);                                                                          \
        for (int32_t i = 0; i < count; i++) {                                                                  \
            T x = a.ptr[i], y = b.ptr[i];                                                                      \
            dst.ptr[i] = (EXPR);                                                                               \
        }                                                                                                      \
    }

TESSERA_BINARY(Add, wrap_add(x, y), is_vec_arith<T>)
TESSERA_BINARY(Sub, wrap_sub(x, y), is_vec_arith<T>)
TESSERA_BINARY(Mul, wrap_mul(x, y), is_vec_arith<T>)
TESSERA_BINARY(Div, (T)((float)x / (float)y), is_vec_float<T>)
TESSERA_BINARY(Max, vmax(x, y), is_vec_arith<T>)
TESSERA_BINARY(Min, vmin(x, y), is_vec_arith<T>)
#undef TESSERA_BINARY

#define TESSERA_SCALAR(NAME, EXPR)                                                                              \
    template <typename T, typename U>                                                                          \
    inline void NAME(const LocalTensor<T> &dst, const LocalTensor<T> &a, const U &scalar, const int32_t &count)  \
    {                                                                                                          \
        static_assert(is_vec_arith<T>, #NAME ": element type not supported by the instruction");                \
        check_local(dst, count, #NAME);                                                                        \
        check_local(a, count, #NAME);                                                                          \
        const T s = (T)scalar;                                                                                 \
        for (int32_t i = 0; i < count; i++) {                                                                  \
            T x = a.ptr[i];                                                                                    \
            dst.ptr[i] = (EXPR);                                                                               \
        }                                                                                                      \
    }

TESSERA_SCALAR(Adds, wrap_add(x, s))
TESSERA_SCALAR(Muls, wrap_mul(x, s))
#undef TESSERA_SCALAR

#define TESSERA_UNARY(NAME, EXPR, TYPES)                                                                        \
    template <typename T> inline void NAME(const LocalTensor<T> &dst, const LocalTensor<T> &a, const int32_t &count) \
    {                                                                                                          \
        static_assert(TYPES, #NAME ": element type not supported by the instruction");                           \
        check_local(dst, count, #NAME);                                                                        \
        check_local(a, count, #NAME);                                                                          \
        for (int32_t i = 0; i < count; i++) {                                                                  \
            T x = a.ptr[i];                                                                                    \
            dst.ptr[i] = (EXPR);                                                                               \
        }                                                                                                      \
    }

TESSERA_UNARY(Exp, (T)std::exp((float)x), is_vec_float<T>)
TESSERA_UNARY(Ln, (T)std::log((float)x), is_vec_float<T>)
TESSERA_UNARY(Sqrt, (T)std::sqrt((float)x), is_vec_float<T>)
TESSERA_UNARY(Rsqrt, (T)(1.0f / std::sqrt((float)x)), is_vec_float<T>)
TESSERA_UNARY(Abs, (T)std::fabs((float)x), is_vec_float<T>)
TESSERA_UNARY(Relu, (x > (T)0 ? x : (x != x ? x : (T)0)), is_vec_arith<T>)
#undef TESSERA_UNARY

template <typename T> inline void Duplicate(const LocalTensor<T> &dst, const T &scalar, const int32_t &count)
{
    static_assert(is_vec_arith<T> || std::is_same<T, uint16_t>::value || std::is_same<T, uint32_t>::value,
                  "Duplicate: element type not supported");
    check_local(dst, count, "Duplicate");
    for (int32_t i = 0; i < count; i++) dst.ptr[i] = scalar;
}

/** dst = src * scalar + dst. */
template <typename T, typename U>
inline void Axpy(const LocalTensor<T> &dst, const LocalTensor<U> &src, const U scalar, const int32_t &count)
{
    static_assert(is_vec_float<T> && is_vec_float<U>, "Axpy: half or float only");
    check_local(dst, count, "Axpy");
    check_local(src, count, "Axpy");
    for (int32_t i = 0; i < count; i++) dst.ptr[i] = (T)((float)src.ptr[i] * (float)scalar + (float)dst.ptr[i]);
}

// ---- conversion -----------------------------------------------------------------------------------------

inline int32_t sat_trunc_i32(float x)
{
    // The stand-in saturates and maps NaN to 0, the project's semantics; the hardware's is not verified here.
    if (x != x) return 0;
    if (x >= 2147483647.0f) return 2147483647;
    if (x <= -2147483648.0f) return std::numeric_limits<int32_t>::min();
    return (int32_t)x;
}

template <typename D, typename S>
inline void Cast(const LocalTensor<D> &dst, const LocalTensor<S> &src, const RoundMode &mode, const uint32_t count)
{
    check_local(dst, count, "Cast");
    check_local(src, count, "Cast");
    constexpr bool f2h = std::is_same<S, float>::value && std::is_same<D, half>::value;
    constexpr bool h2f = std::is_same<S, half>::value && std::is_same<D, float>::value;
    constexpr bool f2b = std::is_same<S, float>::value && std::is_same<D, bfloat16_t>::value;
    constexpr bool b2f = std::is_same<S, bfloat16_t>::value && std::is_same<D, float>::value;
    constexpr bool f2i = std::is_same<S, float>::value && std::is_same<D, int32_t>::value;
    constexpr bool i2f = std::is_same<S, int32_t>::value && std::is_same<D, float>::value;
    constexpr bool h2u8 = std::is_same<S, half>::value && std::is_same<D, uint8_t>::value;
    constexpr bool u82h = std::is_same<S, uint8_t>::value && std::is_same<D, half>::value;
    static_assert(f2h || h2f || f2b || b2f || f2i || i2f || h2u8 || u82h,
                  "Cast: this conversion is not in the stand-in's (documented) subset");
    for (uint32_t i = 0; i < count; i++) {
        if constexpr (f2h) {
            if (mode != RoundMode::CAST_RINT && mode != RoundMode::CAST_NONE) fail("Cast float->half: mode not modelled");
            dst.ptr[i] = (half)src.ptr[i];  // round to nearest even
        } else if constexpr (f2b) {
            if (mode != RoundMode::CAST_RINT) fail("Cast float->bfloat16_t: use CAST_RINT");
            dst.ptr[i] = tessera_standin::f32_to_bf16(src.ptr[i]);
        } else if constexpr (b2f) {
            if (mode != RoundMode::CAST_NONE) fail("Cast bfloat16_t->float: use CAST_NONE");
            dst.ptr[i] = tessera_standin::bf16_to_f32(src.ptr[i]);
        } else if constexpr (f2i) {
            if (mode != RoundMode::CAST_TRUNC) fail("Cast float->int32: only CAST_TRUNC is modelled");
            dst.ptr[i] = sat_trunc_i32(src.ptr[i]);
        } else if constexpr (i2f) {
            if (mode != RoundMode::CAST_NONE) fail("Cast int32->float: only CAST_NONE is modelled");
            dst.ptr[i] = (float)src.ptr[i];
        } else if constexpr (h2u8) {
            if (mode != RoundMode::CAST_NONE) fail("Cast half->uint8: only CAST_NONE is modelled");
            float f = (float)src.ptr[i];
            dst.ptr[i] = f != f || f <= 0 ? 0 : f >= 255 ? 255 : (uint8_t)std::nearbyint(f);
        } else {
            if (mode != RoundMode::CAST_NONE) fail("Cast: mode not modelled for this pair");
            dst.ptr[i] = (D)src.ptr[i];
        }
    }
}

// ---- reductions, comparison, selection ------------------------------------------------------------------

template <typename T>
inline void ReduceSum(const LocalTensor<T> &dst, const LocalTensor<T> &src, const LocalTensor<T> &work, const int32_t count)
{
    static_assert(is_vec_float<T>, "ReduceSum: half or float only");
    check_local(dst, 1, "ReduceSum");
    check_local(src, count, "ReduceSum");
    check_local(work, (count + 63) / 64, "ReduceSum work");
    float s = 0;
    for (int32_t i = 0; i < count; i++) s += (float)src.ptr[i];
    dst.ptr[0] = (T)s;
}

template <typename T>
inline void ReduceMax(const LocalTensor<T> &dst, const LocalTensor<T> &src, const LocalTensor<T> &work,
                      const int32_t count, bool calIndex = false)
{
    static_assert(is_vec_float<T>, "ReduceMax: half or float only");
    check_local(dst, calIndex ? 2 : 1, "ReduceMax");
    check_local(src, count, "ReduceMax");
    check_local(work, (count + 63) / 64, "ReduceMax work");
    if (count <= 0) fail("ReduceMax of %d elements", count);
    T m = src.ptr[0];
    for (int32_t i = 1; i < count; i++) m = vmax(m, src.ptr[i]);
    dst.ptr[0] = m;
}

template <typename T>
inline void ReduceMin(const LocalTensor<T> &dst, const LocalTensor<T> &src, const LocalTensor<T> &work,
                      const int32_t count, bool calIndex = false)
{
    static_assert(is_vec_float<T>, "ReduceMin: half or float only");
    check_local(dst, calIndex ? 2 : 1, "ReduceMin");
    check_local(src, count, "ReduceMin");
    check_local(work, (count + 63) / 64, "ReduceMin work");
    if (count <= 0) fail("ReduceMin of %d elements", count);
    T m = src.ptr[0];
    for (int32_t i = 1; i < count; i++) m = vmin(m, src.ptr[i]);
    dst.ptr[0] = m;
}

/** One bit per element, LSB first; the count form needs count * sizeof(T) to be whole 256-byte repeats. */
template <typename T, typename U>
inline void Compare(const LocalTensor<U> &dst, const LocalTensor<T> &a, const LocalTensor<T> &b, CMPMODE mode, uint32_t count)
{
    static_assert(is_vec_float<T>, "Compare: half or float only on the A2 family");
    if ((count * sizeof(T)) % 256 != 0) fail("Compare of %u elements: count * sizeof(T) must be a multiple of 256", count);
    check_local(a, count, "Compare");
    check_local(b, count, "Compare");
    check_local(dst, count / 8 / sizeof(U), "Compare mask");
    uint8_t *m = reinterpret_cast<uint8_t *>(dst.ptr);
    std::memset(m, 0, count / 8);
    for (uint32_t i = 0; i < count; i++) {
        float x = (float)a.ptr[i], y = (float)b.ptr[i];
        bool r = mode == CMPMODE::LT ? x < y : mode == CMPMODE::GT ? x > y : mode == CMPMODE::EQ ? x == y
               : mode == CMPMODE::LE ? x <= y : mode == CMPMODE::GE ? x >= y : x != y;
        if (r) m[i / 8] |= (uint8_t)(1u << (i % 8));
    }
}

template <typename T, typename U>
inline void Select(const LocalTensor<T> &dst, const LocalTensor<U> &mask, const LocalTensor<T> &a, const LocalTensor<T> &b,
                   SELMODE mode, uint32_t count)
{
    static_assert(is_vec_float<T>, "Select: half or float only");
    if (mode != SELMODE::VSEL_TENSOR_TENSOR_MODE) fail("Select: only VSEL_TENSOR_TENSOR_MODE is modelled");
    check_local(dst, count, "Select");
    check_local(a, count, "Select");
    check_local(b, count, "Select");
    check_local(mask, (count + 8 * sizeof(U) - 1) / 8 / sizeof(U), "Select mask");
    const uint8_t *m = reinterpret_cast<const uint8_t *>(mask.ptr);
    for (uint32_t i = 0; i < count; i++) dst.ptr[i] = (m[i / 8] >> (i % 8)) & 1u ? a.ptr[i] : b.ptr[i];
}

} // namespace AscendC

#endif
