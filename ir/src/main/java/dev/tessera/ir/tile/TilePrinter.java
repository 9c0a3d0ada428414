package dev.tessera.ir.tile;

import dev.tessera.ir.Dim;
import dev.tessera.ir.text.PlanText;
import dev.tessera.ir.text.TokenCursor;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Prints tile IR as text that {@link TileParser} reads back to equal records, for example:
 * <pre>
 * program @scale(%x: f32[N, D], %s: f32[1, D]) -&gt; (%out0: f32[N, D]) {
 *   kernel @scale_0 pointwise domain=[N, D] reads=[%x, %s] writes=[%out0] schedule(wg=256) {
 *     %0 = load %x[d0, d1] : f32
 *     %1 = load %s[0, d1] : f32
 *     %2 = mul %0, %1 : f32
 *     store %out0[d0, d1], %2
 *   }
 * }
 * </pre>
 */
public final class TilePrinter {

    private TilePrinter() {}

    /** Programs separated by a blank line; an empty module prints as the empty string. */
    public static String print(TileModule module) {
        return module.programs().stream().map(TilePrinter::print).collect(Collectors.joining("\n"));
    }

    public static String print(TileProgram program) {
        StringBuilder sb = new StringBuilder();
        PlanText.printHead(sb, program.name(), program.buffers());
        for (TileKernel k : program.kernels()) {
            kernel(sb, k, "  ");
        }
        return sb.append("}\n").toString();
    }

    /** One kernel at indentation zero, as {@link TileParser#parseKernel} reads it. */
    public static String print(TileKernel kernel) {
        StringBuilder sb = new StringBuilder();
        kernel(sb, kernel, "");
        return sb.toString();
    }

    private static void kernel(StringBuilder sb, TileKernel k, String indent) {
        sb.append(indent).append("kernel @").append(TokenCursor.checkSigilName(k.name(), "kernel"))
                .append(' ').append(k.kind().irName())
                .append(" domain=").append(domain(k.domain()))
                .append(" reads=").append(names(k.reads()))
                .append(" writes=").append(names(k.writes()))
                .append(" schedule(")
                .append(k.schedule().params().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")))
                .append(") {\n");
        String inner = indent + "  ";
        for (TInstr i : k.body()) {
            sb.append(inner).append(instr(i)).append('\n');
        }
        for (TStore s : k.stores()) {
            sb.append(inner).append("store %").append(TokenCursor.checkSigilName(s.buffer(), "buffer"))
                    .append(index(s.index())).append(", ").append(s.value()).append('\n');
        }
        sb.append(indent).append("}\n");
    }

    /** {@code [N, D]} without sweep axes, {@code [N | D]} with; {@code [| K]} when there are no parallel axes. */
    static String domain(Domain d) {
        String par = dims(d.parallel());
        if (d.sweep().isEmpty()) {
            return "[" + par + "]";
        }
        return "[" + par + (par.isEmpty() ? "| " : " | ") + dims(d.sweep()) + "]";
    }

    private static String dims(List<Dim> dims) {
        return dims.stream().map(Dim::toString).collect(Collectors.joining(", "));
    }

    private static String names(List<String> buffers) {
        return buffers.stream().map(b -> "%" + TokenCursor.checkSigilName(b, "buffer"))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    static String index(List<IndexTerm> index) {
        return index.stream().map(IndexTerm::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    /** One instruction without indentation: {@code %r = op operands : dtype}. */
    public static String instr(TInstr i) {
        return i.result() + " = " + op(i.op()) + " : " + i.result().dtype();
    }

    static String op(TOp op) {
        return switch (op) {
            case TOp.Load l -> "load %" + TokenCursor.checkSigilName(l.buffer(), "buffer") + index(l.index());
            case TOp.Const c -> "const " + TokenCursor.formatDouble(c.value());
            case TOp.Unary u -> u.op().irName() + " " + u.x();
            case TOp.Binary b -> b.op().irName() + " " + b.a() + ", " + b.b();
            case TOp.Select s -> "select " + s.cond() + ", " + s.a() + ", " + s.b();
            case TOp.Cast c -> "cast." + c.to().irName() + " " + c.x();
            case TOp.Reduce r -> "reduce." + r.op().irName() + " " + r.x();
            case TOp.Dot d -> "dot " + d.a() + ", " + d.b();
        };
    }
}
