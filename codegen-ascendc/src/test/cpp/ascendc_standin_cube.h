// ascendc_standin_cube.h -- A TEST STAND-IN, NOT A PRODUCT: the cube-unit path (GM -> L1 with ND->NZ,
// L1 -> L0A/L0B with LoadData, Mmad into L0C, Fixpipe L0C -> GM with NZ->ND) as the documentation describes
// the fractal layouts for 16-bit inputs: L1 NZ, L0A FRACTAL_ZZ, L0B FRACTAL_ZN, L0C FRACTAL_NZ. The layouts
// are modelled from the documentation and have not been checked against hardware. See ascendc_standin.h.
#ifndef TESSERA_ASCENDC_STANDIN_CUBE_H
#define TESSERA_ASCENDC_STANDIN_CUBE_H

enum class QuantMode_t { NoQuant, F322F16, F322BF16 };

namespace AscendC {

struct Nd2NzParams {
    uint16_t ndNum = 1;
    uint16_t nValue = 0;             // rows
    uint16_t dValue = 0;             // columns (elements)
    uint16_t srcNdMatrixStride = 0;  // elements between ND matrices
    uint16_t srcDValue = 0;          // elements between source rows
    uint16_t dstNzC0Stride = 0;      // 32-byte blocks (rows) between column blocks of the NZ result
    uint16_t dstNzNStride = 1;       // 32-byte blocks between rows within a column block
    uint16_t dstNzMatrixStride = 0;  // elements between NZ matrices
};

template <typename T> inline void require_cube_type(const char *op)
{
    if (!(std::is_same<T, half>::value || std::is_same<T, bfloat16_t>::value))
        fail("%s: the stand-in models the cube path for half and bfloat16_t only", op);
}

/** GM (ND) -> L1 (NZ): element (r, c) lands at (c / C0) * dstNzC0Stride * C0 + r * dstNzNStride * C0 + c % C0. */
template <typename T> inline void DataCopy(const LocalTensor<T> &dst, const GlobalTensor<T> &src, const Nd2NzParams &p)
{
    require_cube_type<T>("DataCopy ND2NZ");
    if (dst.pos != TPosition::A1 && dst.pos != TPosition::B1) fail("DataCopy ND2NZ into a tensor outside L1");
    if (p.ndNum != 1) fail("DataCopy ND2NZ: the stand-in models ndNum = 1");
    const uint32_t c0 = 32 / sizeof(T);
    if (p.dValue > 0 && p.nValue > 0) {
        check_global(src, (uint64_t)(p.nValue - 1) * p.srcDValue + p.dValue, "DataCopy ND2NZ");
        uint64_t last = (uint64_t)((p.dValue - 1) / c0) * p.dstNzC0Stride * c0 + (uint64_t)(p.nValue - 1) * p.dstNzNStride * c0 + c0;
        check_local(dst, last, "DataCopy ND2NZ");
    }
    for (uint32_t r = 0; r < p.nValue; r++)
        for (uint32_t c = 0; c < p.dValue; c++)
            dst.ptr[(c / c0) * p.dstNzC0Stride * c0 + r * p.dstNzNStride * c0 + c % c0] = src.ptr[(uint64_t)r * p.srcDValue + c];
}

template <typename T> struct InitConstValueParams {
    uint16_t repeatTimes = 0;
    uint16_t blockNum = 0;  // 32-byte blocks per repeat
    uint16_t dstGap = 0;    // 32-byte blocks between repeats
    T initValue = T();
};

template <typename T> inline void InitConstValue(const LocalTensor<T> &dst, const InitConstValueParams<T> &p)
{
    if (dst.pos != TPosition::A1 && dst.pos != TPosition::B1 && dst.pos != TPosition::A2 && dst.pos != TPosition::B2)
        fail("InitConstValue on a tensor outside L1/L0A/L0B");
    const uint32_t per = 32 / sizeof(T);
    const uint64_t total = ((uint64_t)p.repeatTimes * (p.blockNum + p.dstGap)) * per;
    check_local(dst, total, "InitConstValue");
    for (uint32_t r = 0; r < p.repeatTimes; r++)
        for (uint32_t i = 0; i < (uint32_t)p.blockNum * per; i++) dst.ptr[(uint64_t)r * (p.blockNum + p.dstGap) * per + i] = p.initValue;
}

struct LoadData2DParams {
    uint16_t startIndex = 0;
    uint8_t repeatTimes = 0;  // fractals (16 x 16 for 16-bit types)
    uint16_t srcStride = 0;   // fractals between consecutive source fractals
    uint8_t sid = 0;
    uint16_t dstGap = 0;      // fractals left between consecutive destination fractals
    bool ifTranspose = false;
    uint8_t addrMode = 0;
};

/** L1 -> L0A/L0B, one 512-byte fractal per repeat, optionally transposed. */
template <typename T> inline void LoadData(const LocalTensor<T> &dst, const LocalTensor<T> &src, const LoadData2DParams &p)
{
    require_cube_type<T>("LoadData");
    if (src.pos != TPosition::A1 && src.pos != TPosition::B1) fail("LoadData from a tensor outside L1");
    if (dst.pos != TPosition::A2 && dst.pos != TPosition::B2) fail("LoadData into a tensor outside L0A/L0B");
    if (dst.pos == TPosition::A2 && p.ifTranspose) fail("LoadData: the stand-in models transposition into L0B only");
    const uint32_t f = 256;
    if (p.repeatTimes == 0) fail("LoadData with repeatTimes 0");
    check_local(src, ((uint64_t)p.startIndex + (uint64_t)(p.repeatTimes - 1) * p.srcStride + 1) * f, "LoadData source");
    check_local(dst, (uint64_t)p.repeatTimes * (1 + p.dstGap) * f - (uint64_t)p.dstGap * f, "LoadData destination");
    for (uint32_t r = 0; r < p.repeatTimes; r++) {
        const T *s = src.ptr + ((uint64_t)p.startIndex + (uint64_t)r * p.srcStride) * f;
        T *d = dst.ptr + (uint64_t)r * (1 + p.dstGap) * f;
        for (uint32_t i = 0; i < 16; i++)
            for (uint32_t j = 0; j < 16; j++) d[i * 16 + j] = p.ifTranspose ? s[j * 16 + i] : s[i * 16 + j];
    }
}

struct MmadParams {
    uint16_t m = 0, n = 0, k = 0;
    bool isBias = false;
    int16_t fmOffset = 0;
    bool enSsparse = false, enWinogradA = false, enWinogradB = false;
    uint8_t unitFlag = 0;
    bool kDirectionAlign = false;
    bool cmatrixSource = false;
    bool cmatrixInitVal = true;
};

/**
 * C (L0C, NZ, f32) = [C +] A (L0A, ZZ) x B (L0B, ZN), with f32 products and accumulation. ZZ: fractals row by
 * row, each row-major; ZN: fractals row by row, each column-major; NZ: fractals column by column, each row-major.
 */
template <typename C, typename T>
inline void Mmad(const LocalTensor<C> &c, const LocalTensor<T> &a, const LocalTensor<T> &b, const MmadParams &p)
{
    static_assert(std::is_same<C, float>::value, "Mmad: the stand-in models f32 accumulation");
    require_cube_type<T>("Mmad");
    if (a.pos != TPosition::A2 || b.pos != TPosition::B2 || c.pos != TPosition::CO1) fail("Mmad operands not in L0A/L0B/L0C");
    if (p.isBias || p.cmatrixSource) fail("Mmad: bias and C-matrix sources are not modelled");
    const uint32_t mPad = (p.m + 15) / 16 * 16, nPad = (p.n + 15) / 16 * 16, kPad = (p.k + 15) / 16 * 16;
    check_local(a, (uint64_t)mPad * kPad, "Mmad A");
    check_local(b, (uint64_t)kPad * nPad, "Mmad B");
    check_local(c, (uint64_t)mPad * nPad, "Mmad C");
    for (uint32_t m = 0; m < p.m; m++) {
        for (uint32_t n = 0; n < p.n; n++) {
            float s = 0;
            for (uint32_t k = 0; k < p.k; k++) {
                float x = tessera_standin::to_float(a.ptr[(m / 16) * kPad * 16 + (k / 16) * 256 + (m % 16) * 16 + k % 16]);
                float y = tessera_standin::to_float(b.ptr[(k / 16) * nPad * 16 + (n / 16) * 256 + (n % 16) * 16 + k % 16]);
                s += x * y;
            }
            float &out = c.ptr[(n / 16) * mPad * 16 + m * 16 + n % 16];
            out = p.cmatrixInitVal ? s : out + s;
        }
    }
}

enum class CO2Layout { NZ, ROW_MAJOR, COLUMN_MAJOR };
struct FixpipeConfig {
    CO2Layout format;
};
constexpr FixpipeConfig CFG_NZ = {CO2Layout::NZ};
constexpr FixpipeConfig CFG_ROW_MAJOR = {CO2Layout::ROW_MAJOR};

struct FixpipeParamsV220 {
    uint16_t nSize = 0;
    uint16_t mSize = 0;
    uint16_t srcStride = 0;  // rows (of 16 elements) between column blocks in L0C: m padded to 16
    uint32_t dstStride = 0;  // elements between output rows (ND)
    QuantMode_t quantPre = QuantMode_t::NoQuant;
    uint64_t deqScalar = 0;
    uint16_t ndNum = 1;
    uint16_t srcNdStride = 0;
    uint16_t dstNdStride = 0;
    bool reluEn = false;
    uint8_t unitFlag = 0;
    bool isChannelSplit = false;
};

/** L0C (NZ, f32) -> GM; with CFG_ROW_MAJOR converted to ND rows of dstStride elements. */
template <typename D, typename S, const FixpipeConfig &cfg>
inline void Fixpipe(const GlobalTensor<D> &dst, const LocalTensor<S> &src, const FixpipeParamsV220 &p)
{
    static_assert(std::is_same<D, float>::value && std::is_same<S, float>::value, "Fixpipe: the stand-in models f32 -> f32");
    if (cfg.format != CO2Layout::ROW_MAJOR) fail("Fixpipe: the stand-in models NZ -> ND (CFG_ROW_MAJOR) only");
    if (src.pos != TPosition::CO1) fail("Fixpipe from a tensor outside L0C");
    if (p.quantPre != QuantMode_t::NoQuant || p.reluEn || p.ndNum != 1) fail("Fixpipe: quantisation, relu and ndNum > 1 are not modelled");
    if (p.mSize == 0 || p.nSize == 0) return;
    check_local(src, (uint64_t)((p.nSize - 1) / 16) * p.srcStride * 16 + (uint64_t)p.srcStride * 16, "Fixpipe source");
    check_global(dst, (uint64_t)(p.mSize - 1) * p.dstStride + p.nSize, "Fixpipe destination");
    for (uint32_t m = 0; m < p.mSize; m++)
        for (uint32_t n = 0; n < p.nSize; n++) dst.ptr[(uint64_t)m * p.dstStride + n] = src.ptr[(n / 16) * p.srcStride * 16 + m * 16 + n % 16];
}

} // namespace AscendC

#endif
