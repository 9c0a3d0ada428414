package dev.tessera.codegen.ascendc;

import dev.tessera.ir.Buffer;
import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.CompileException;
import dev.tessera.ir.Dim;
import dev.tessera.ir.GeneratedNames;
import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.tile.TValue;
import dev.tessera.ir.tile.TileProgram;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every kernel of one program shares: its symbolic dims (indices into the tiling struct's {@code dim}
 * array, in order of first appearance in the inputs), C++ identifiers for its buffers and reductions (through
 * {@link GeneratedNames}, as the OpenCL and PTX backends name theirs: sanitised, prefixed, never two alike),
 * and dim and stride expressions.
 */
final class ProgramEnv {

    /** The tiling struct holds this many dims; a program with more is refused. */
    static final int MAX_DIMS = 8;

    final TileProgram program;
    final BufferPlan plan;
    /** The program's name in C++ identifiers, header guards and file names ({@link AscendProgram#cName()}). */
    final String cName;
    final List<String> dims = new ArrayList<>();
    private final GeneratedNames names = new GeneratedNames();
    private final Map<String, String> ids = new LinkedHashMap<>();

    ProgramEnv(TileProgram program) {
        this.program = program;
        this.plan = program.buffers();
        this.cName = AscendProgram.cName(program.name());
        for (Buffer b : plan.all()) {
            for (String s : b.type().shape().symbols()) {
                if (!dims.contains(s)) {
                    dims.add(s);
                }
            }
        }
        if (dims.size() > MAX_DIMS) {
            throw new CompileException(SourceSpan.UNKNOWN, "kernel " + program.name() + " has " + dims.size()
                    + " symbolic dims; the Ascend C tiling struct holds at most " + MAX_DIMS);
        }
        // Named up front, in plan order, so that a buffer's identifier does not depend on which kernel uses it first.
        for (Buffer b : plan.all()) {
            ids.put(b.name(), names.of("b_", b.name()));
        }
    }

    Buffer buffer(String name) {
        return plan.find(name).orElseThrow(() -> new IllegalStateException("program " + program.name()
                + " has no buffer %" + name));
    }

    /** A C++ identifier for the buffer, unique in the program. */
    String id(String buffer) {
        String id = ids.get(buffer);
        if (id == null) {
            throw new IllegalStateException("program " + program.name() + " has no buffer %" + buffer);
        }
        return id;
    }

    /** The C++ member that holds a reduction's result for the current row. */
    String reduction(TValue result) {
        return names.of("red_", result.name());
    }

    /** The extent of {@code d} as a C++ int64 expression over the tiling struct {@code t}. */
    String dim(Dim d, String t) {
        return switch (d) {
            case Dim.Lit l -> l.value() + "LL";
            case Dim.Sym s -> t + ".dim[" + dims.indexOf(s.name()) + "]";
        };
    }

    String product(List<Dim> ds, String t) {
        if (ds.isEmpty()) {
            return "1LL";
        }
        List<String> parts = new ArrayList<>();
        for (Dim d : ds) {
            parts.add(dim(d, t));
        }
        return "(" + String.join(" * ", parts) + ")";
    }

    /** Row-major element stride of axis {@code pos} of {@code buffer}. */
    String stride(String buffer, int pos, String t) {
        List<Dim> shape = buffer(buffer).type().shape().dims();
        return product(shape.subList(pos + 1, shape.size()), t);
    }

    /** The element count of {@code buffer}. */
    String count(String buffer, String t) {
        return product(buffer(buffer).type().shape().dims(), t);
    }

    /** The same count on the host, where the dims are an int64 array named {@code dims}. */
    String hostCount(String buffer) {
        List<String> parts = new ArrayList<>();
        for (Dim d : buffer(buffer).type().shape().dims()) {
            parts.add(switch (d) {
                case Dim.Lit l -> l.value() + "LL";
                case Dim.Sym s -> "dims[" + dims.indexOf(s.name()) + "]";
            });
        }
        return parts.isEmpty() ? "1LL" : "(" + String.join(" * ", parts) + ")";
    }
}
