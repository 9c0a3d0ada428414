package dev.tessera.ptxsim;

/**
 * A compiled destination register: writes a value of the instruction's type, extending it to a wider
 * register by the type's signedness as the ISA's relaxed operand-size rules prescribe.
 *
 * @param index register slot, or -1 for the sink {@code _}
 */
record Dst(int index, int typeBits, boolean signExtend, long regMask) {

    static final Dst SINK = new Dst(-1, 64, false, -1L);

    void write(ThreadCtx t, long v) {
        if (index < 0) {
            return;
        }
        long x = v;
        if (typeBits < 64) {
            int sh = 64 - typeBits;
            x = signExtend ? (x << sh) >> sh : (x << sh) >>> sh;
        }
        t.r[index] = x & regMask;
    }
}
