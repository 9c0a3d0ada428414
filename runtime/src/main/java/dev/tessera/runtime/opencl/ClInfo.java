package dev.tessera.runtime.opencl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Reads values through OpenCL's clGet*Info pattern: ask for the size, allocate, ask for the value. */
final class ClInfo {

    /** One clGet*Info function with its object already applied. */
    @FunctionalInterface
    interface Query {
        int get(int param, long size, MemorySegment value, MemorySegment sizeRet);
    }

    private ClInfo() {}

    static String string(Query q, int param, String function) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(ValueLayout.JAVA_LONG);
            ClErrors.check(q.get(param, 0, MemorySegment.NULL, size), function,
                    "size of 0x" + Integer.toHexString(param));
            long n = size.get(ValueLayout.JAVA_LONG, 0);
            if (n == 0) {
                return "";
            }
            MemorySegment value = arena.allocate(n + 1);
            ClErrors.check(q.get(param, n, value, MemorySegment.NULL), function, "0x" + Integer.toHexString(param));
            return value.getString(0).strip();
        }
    }

    /** A cl_ulong, size_t or bitfield value (all 8 bytes on the supported 64-bit platforms). */
    static long u64(Query q, int param, String function) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(ValueLayout.JAVA_LONG);
            ClErrors.check(q.get(param, 8, value, MemorySegment.NULL), function, "0x" + Integer.toHexString(param));
            return value.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    /** A cl_uint value, widened without sign. */
    static long u32(Query q, int param, String function) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            ClErrors.check(q.get(param, 4, value, MemorySegment.NULL), function, "0x" + Integer.toHexString(param));
            return Integer.toUnsignedLong(value.get(ValueLayout.JAVA_INT, 0));
        }
    }
}
