package dev.tessera.ptxsim;

/**
 * A compiled source operand. Register values are kept zero-extended to their register's width, so
 * instructions read only the low bits of their own type.
 */
sealed interface Src permits Src.Reg, Src.Const, Src.NotPred, Src.Clock, Src.GlobalSymbol {

    long get(ThreadCtx t);

    /** A register (including special registers, which live in per-thread slots). */
    record Reg(int index) implements Src {
        @Override
        public long get(ThreadCtx t) {
            return t.r[index];
        }
    }

    /** An immediate or a link-time constant such as a shared variable's address. */
    record Const(long value) implements Src {
        @Override
        public long get(ThreadCtx t) {
            return value;
        }
    }

    /** A negated predicate {@code !%p}. */
    record NotPred(int index) implements Src {
        @Override
        public long get(ThreadCtx t) {
            return t.r[index] ^ 1;
        }
    }

    /** %clock / %clock64: the thread's executed-instruction count, which is monotonic like a clock. */
    record Clock(long mask) implements Src {
        @Override
        public long get(ThreadCtx t) {
            return t.executed & mask;
        }
    }

    /** The address of a module-scope .global variable, which is allocated per DeviceMemory at launch. */
    record GlobalSymbol(int slot, long offset) implements Src {
        @Override
        public long get(ThreadCtx t) {
            return t.cta.launch.globalAddresses[slot] + offset;
        }
    }
}
