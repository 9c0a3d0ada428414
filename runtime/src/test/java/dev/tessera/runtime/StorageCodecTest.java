package dev.tessera.runtime;

import static org.junit.jupiter.api.Assertions.*;

import dev.tessera.ir.DType;
import dev.tessera.ir.interp.HostTensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class StorageCodecTest {

    @Test
    void everyDtypeRoundTrips() {
        try (Arena arena = Arena.ofConfined()) {
            for (DType d : DType.values()) {
                HostTensor t = HostTensor.random(d, new long[] {3, 5}, d.ordinal());
                MemorySegment seg = StorageCodec.encode(arena, t);
                assertEquals(15L * d.byteSize(), seg.byteSize(), d.irName());
                assertEquals(t, StorageCodec.decode(d, new long[] {3, 5}, seg), d.irName());
            }
        }
    }

    @Test
    void storageFormsAreTheDeviceLayouts() {
        assertEquals(ByteOrder.LITTLE_ENDIAN, ByteOrder.nativeOrder(), "OpenCL devices here are little-endian");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment h = StorageCodec.encode(arena, new HostTensor(DType.F16, new long[] {2}, new double[] {1, -2}));
            assertEquals((short) 0x3C00, h.getAtIndex(ValueLayout.JAVA_SHORT, 0));
            assertEquals((short) 0xC000, h.getAtIndex(ValueLayout.JAVA_SHORT, 1));
            MemorySegment bf = StorageCodec.encode(arena, new HostTensor(DType.BF16, new long[] {1}, new double[] {1}));
            assertEquals((short) 0x3F80, bf.getAtIndex(ValueLayout.JAVA_SHORT, 0));
            MemorySegment b = StorageCodec.encode(arena, new HostTensor(DType.BOOL, new long[] {2}, new double[] {1, 0}));
            assertEquals(1, b.get(ValueLayout.JAVA_BYTE, 0));
            assertEquals(0, b.get(ValueLayout.JAVA_BYTE, 1));
        }
    }

    @Test
    void poisonDecodesAsNanOrMinusOne() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment poison = arena.allocate(8).fill((byte) 0xFF);
            for (DType d : DType.values()) {
                long n = 8 / d.byteSize();
                double first = StorageCodec.decode(d, new long[] {n}, poison).data()[0];
                if (d == DType.I32) {
                    assertEquals(-1, first);
                } else {
                    assertTrue(Double.isNaN(first), d.irName() + " poison reads as " + first);
                }
            }
        }
    }
}
