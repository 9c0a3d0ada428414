package dev.tessera.api;

/** Element types of tensors, as the DSL spells them ({@code f32}, {@code f16}, ...). */
public enum DType {
    F32(dev.tessera.ir.DType.F32),
    F16(dev.tessera.ir.DType.F16),
    BF16(dev.tessera.ir.DType.BF16),
    I32(dev.tessera.ir.DType.I32),
    BOOL(dev.tessera.ir.DType.BOOL),
    F64(dev.tessera.ir.DType.F64);

    private final dev.tessera.ir.DType ir;

    DType(dev.tessera.ir.DType ir) {
        this.ir = ir;
    }

    /** Bytes per element in a tensor's memory (bool is one byte). */
    public int byteSize() {
        return ir.byteSize();
    }

    /** The DSL's spelling: {@code f32}. */
    public String dslName() {
        return ir.irName();
    }

    dev.tessera.ir.DType ir() {
        return ir;
    }

    static DType of(dev.tessera.ir.DType d) {
        return switch (d) {
            case F32 -> F32;
            case F16 -> F16;
            case BF16 -> BF16;
            case I32 -> I32;
            case BOOL -> BOOL;
            case F64 -> F64;
        };
    }
}
