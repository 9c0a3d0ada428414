package dev.tessera.codegen.jvm;

import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.DType;
import dev.tessera.ir.interp.HostTensor;
import dev.tessera.ir.interp.Rounding;
import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopParam;
import dev.tessera.ir.loop.LoopProgram;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/** Runs a compiled program on host tensors in the tests: what the runtime's JVM device does, without shape binding. */
final class JvmRun {

    private JvmRun() {}

    static List<HostTensor> run(LoopProgram p, Map<String, Long> dims, List<HostTensor> inputs, ForkJoinPool pool) {
        return run(JvmCodegen.compile(p), dims, inputs, pool);
    }

    static List<HostTensor> run(JvmProgram compiled, Map<String, Long> dims, List<HostTensor> inputs, ForkJoinPool pool) {
        LoopProgram p = compiled.program();
        BufferPlan plan = p.buffers();
        try (Arena arena = Arena.ofShared()) {
            Map<String, MemorySegment> storage = new HashMap<>();
            for (int i = 0; i < inputs.size(); i++) {
                storage.put(plan.inputs().get(i).name(), encode(arena, inputs.get(i)));
            }
            List<Buffer> poisoned = new ArrayList<>(plan.outputs());
            poisoned.addAll(plan.temps());
            for (Buffer b : poisoned) {
                long n = b.type().shape().elementCount(dims) * b.type().dtype().byteSize();
                storage.put(b.name(), arena.allocate(Math.max(1, n), 8).asSlice(0, n).fill((byte) 0xFF));
            }
            for (JvmKernel k : compiled.kernels()) {
                MemorySegment[] segs = k.bufferParams().stream().map(b -> storage.get(plan.storageOf(b.name())))
                        .toArray(MemorySegment[]::new);
                int[] ds = k.dimParams().stream().mapToInt(d -> Math.toIntExact(dims.get(d.name()))).toArray();
                long[] global = k.kernel().globalSize().stream().mapToLong(g -> eval(g, dims)).toArray();
                k.launch(segs, ds, global, pool);
            }
            return plan.outputs().stream().map(b -> decode(b.type().dtype(), b.type().shape().extents(dims),
                    storage.get(b.name()))).toList();
        }
    }

    static long eval(Expr e, Map<String, Long> dims) {
        return switch (e) {
            case Expr.IntLit i -> i.value();
            case Expr.Var v -> dims.get(v.name());
            case Expr.Bin b -> {
                long x = eval(b.a(), dims);
                long y = eval(b.b(), dims);
                yield switch (b.op()) {
                    case ADD -> x + y;
                    case SUB -> x - y;
                    case MUL -> x * y;
                    case DIV -> y == 0 ? 0 : x / y;
                    case REM -> y == 0 ? 0 : x % y;
                    case MIN -> Math.min(x, y);
                    case MAX -> Math.max(x, y);
                    default -> throw new IllegalArgumentException(b.toString());
                };
            }
            default -> throw new IllegalArgumentException(e.toString());
        };
    }

    static MemorySegment encode(Arena arena, HostTensor t) {
        long bytes = (long) t.size() * t.dtype().byteSize();
        MemorySegment s = arena.allocate(Math.max(1, bytes), 8).asSlice(0, bytes);
        double[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            switch (t.dtype()) {
                case F32 -> s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) d[i]);
                case F16 -> s.setAtIndex(ValueLayout.JAVA_SHORT, i, Float.floatToFloat16((float) d[i]));
                case BF16 -> s.setAtIndex(ValueLayout.JAVA_SHORT, i, Rounding.floatToBf16((float) d[i]));
                case I32 -> s.setAtIndex(ValueLayout.JAVA_INT, i, (int) d[i]);
                case BOOL -> s.set(ValueLayout.JAVA_BYTE, i, (byte) (d[i] != 0 ? 1 : 0));
                case F64 -> s.setAtIndex(ValueLayout.JAVA_DOUBLE, i, d[i]);
            }
        }
        return s;
    }

    static HostTensor decode(DType dtype, long[] shape, MemorySegment s) {
        double[] d = new double[Math.toIntExact(HostTensor.count(shape))];
        for (int i = 0; i < d.length; i++) {
            d[i] = switch (dtype) {
                case F32 -> s.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                case F16 -> Float.float16ToFloat(s.getAtIndex(ValueLayout.JAVA_SHORT, i));
                case BF16 -> Rounding.bf16ToFloat(s.getAtIndex(ValueLayout.JAVA_SHORT, i));
                case I32 -> s.getAtIndex(ValueLayout.JAVA_INT, i);
                case BOOL -> {
                    byte b = s.get(ValueLayout.JAVA_BYTE, i);
                    yield b == 0 ? 0 : b == 1 ? 1 : Double.NaN;
                }
                case F64 -> s.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
            };
        }
        return new HostTensor(dtype, shape, d);
    }

    /** Unused parameter kinds are a compile error here, so a new one is noticed. */
    static boolean isBuffer(LoopParam p) {
        return switch (p) {
            case LoopParam.BufferParam b -> true;
            case LoopParam.DimParam d -> false;
        };
    }

    static LoopKernel only(LoopProgram p) {
        return p.kernels().getFirst();
    }
}
