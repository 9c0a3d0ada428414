package dev.tessera.ir.loop;

import dev.tessera.ir.text.PlanText;
import dev.tessera.ir.text.TokenCursor;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Prints loop IR as C-like text that {@link LoopParser} reads back to equal records, for example:
 * <pre>
 * kernel @scale_0(global f32 %x, global mut f32 %out0, dim %N) grid(%N) block(64) {
 *   decl i32 i = global_id(0)
 *   if (i &lt; %N) {
 *     store %out0[i] = (%x[i] * 2.0f)
 *   }
 * }
 * </pre>
 * Kernel parameters carry a {@code %} (buffers {@code %x[i]}, dimensions {@code %N}); local arrays and
 * variables are bare. Binary operators print fully parenthesised except at the top of a statement;
 * min, max, unary math, {@code select(c, a, b)}, conversions {@code f32(x)} and launch coordinates
 * {@code local_id(0)} use call syntax. Literals: {@code 7} (i32), {@code 7L} (i64), {@code 1.5f} (f32),
 * {@code 1.5} (f64), {@code nanf}, {@code -inff}, {@code nan}, {@code inf}, {@code true}.
 */
public final class LoopPrinter {

    private final Set<String> dims;
    private final Set<String> buffers;

    private LoopPrinter(Set<String> dims, Set<String> buffers) {
        this.dims = dims;
        this.buffers = buffers;
    }

    /** Programs separated by a blank line; an empty module prints as the empty string. */
    public static String print(LoopModule module) {
        return module.programs().stream().map(LoopPrinter::print).collect(Collectors.joining("\n"));
    }

    public static String print(LoopProgram program) {
        StringBuilder sb = new StringBuilder();
        PlanText.printHead(sb, program.name(), program.buffers());
        for (LoopKernel k : program.kernels()) {
            kernel(sb, k, "  ");
        }
        return sb.append("}\n").toString();
    }

    /** One kernel at indentation zero, as {@link LoopParser#parseKernel} reads it. */
    public static String print(LoopKernel kernel) {
        StringBuilder sb = new StringBuilder();
        kernel(sb, kernel, "");
        return sb.toString();
    }

    /** An expression outside any kernel (for messages): every variable prints bare. */
    public static String print(Expr e) {
        return new LoopPrinter(Set.of(), Set.of()).expr(e, true);
    }

    /** An expression of {@code kernel}, its parameters spelled with {@code %} (for messages). */
    public static String print(Expr e, LoopKernel kernel) {
        return of(kernel).expr(e, true);
    }

    /** Statements outside any kernel (for messages), one per line at indentation zero. */
    public static String print(List<Stmt> body) {
        StringBuilder sb = new StringBuilder();
        new LoopPrinter(Set.of(), Set.of()).block(sb, body, "");
        return sb.toString();
    }

    private static LoopPrinter of(LoopKernel k) {
        Set<String> dims = new HashSet<>();
        Set<String> buffers = new HashSet<>();
        for (LoopParam p : k.params()) {
            switch (p) {
                case LoopParam.BufferParam b -> buffers.add(b.name());
                case LoopParam.DimParam d -> dims.add(d.name());
            }
        }
        return new LoopPrinter(dims, buffers);
    }

    private static void kernel(StringBuilder sb, LoopKernel k, String indent) {
        LoopPrinter pr = of(k);
        sb.append(indent).append("kernel @").append(TokenCursor.checkSigilName(k.name(), "kernel")).append('(')
                .append(k.params().stream().map(LoopPrinter::param).collect(Collectors.joining(", "))).append(')');
        if (!k.locals().isEmpty()) {
            sb.append(" local(").append(k.locals().stream()
                    .map(l -> l.elem().irName() + " " + bare(l.name(), "local array") + "[" + l.length() + "]")
                    .collect(Collectors.joining(", "))).append(')');
        }
        sb.append(" grid(").append(k.globalSize().stream().map(e -> pr.expr(e, true))
                .collect(Collectors.joining(", "))).append(')');
        sb.append(" block(").append(k.localSize().stream().map(String::valueOf)
                .collect(Collectors.joining(", "))).append(") {\n");
        pr.block(sb, k.body(), indent + "  ");
        sb.append(indent).append("}\n");
    }

    private static String param(LoopParam p) {
        return switch (p) {
            case LoopParam.BufferParam b -> "global " + (b.written() ? "mut " : "") + b.elem().irName() + " %"
                    + TokenCursor.checkSigilName(b.name(), "buffer parameter");
            case LoopParam.DimParam d -> "dim %" + TokenCursor.checkSigilName(d.name(), "dimension parameter");
        };
    }

    private static String bare(String name, String what) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("cannot print " + what + " name '" + name + "'");
        }
        return name;
    }

    private void block(StringBuilder sb, List<Stmt> body, String indent) {
        for (Stmt s : body) {
            stmt(sb, s, indent);
        }
    }

    private void stmt(StringBuilder sb, Stmt s, String indent) {
        sb.append(indent);
        switch (s) {
            case Stmt.Decl d -> sb.append("decl ").append(d.var().type().irName()).append(' ').append(d.var().name())
                    .append(" = ").append(expr(d.init(), true)).append('\n');
            case Stmt.Assign a -> sb.append(var(a.var())).append(" = ").append(expr(a.value(), true)).append('\n');
            case Stmt.Store st -> sb.append("store ").append(array(st.array())).append('[')
                    .append(expr(st.index(), true)).append("] = ").append(expr(st.value(), true)).append('\n');
            case Stmt.For f -> {
                sb.append("for ").append(f.var().type().irName()).append(' ').append(f.var().name()).append(" = ")
                        .append(expr(f.lo(), true)).append(" to ").append(expr(f.hi(), true))
                        .append(" step ").append(expr(f.step(), true)).append(" {\n");
                block(sb, f.body(), indent + "  ");
                sb.append(indent).append("}\n");
            }
            case Stmt.If i -> {
                sb.append("if (").append(expr(i.cond(), true)).append(") {\n");
                block(sb, i.then(), indent + "  ");
                if (!i.otherwise().isEmpty()) {
                    sb.append(indent).append("} else {\n");
                    block(sb, i.otherwise(), indent + "  ");
                }
                sb.append(indent).append("}\n");
            }
            case Stmt.Barrier b -> sb.append("barrier\n");
        }
    }

    private String var(Expr.Var v) {
        return dims.contains(v.name()) ? "%" + v.name() : v.name();
    }

    private String array(String name) {
        return buffers.contains(name) ? "%" + name : bare(name, "local array");
    }

    /** {@code top}: the outermost binary operator needs no parentheses (statement operands, call arguments). */
    private String expr(Expr e, boolean top) {
        return switch (e) {
            case Expr.Var v -> var(v);
            case Expr.IntLit i -> i.value() + (i.type() == LType.I64 ? "L" : "");
            case Expr.FloatLit f -> TokenCursor.formatDouble(f.value()) + (f.type() == LType.F32 ? "f" : "");
            case Expr.BoolLit b -> String.valueOf(b.value());
            case Expr.Bin b -> {
                String sym = infix(b.op());
                if (sym == null) {
                    yield b.op().irName() + "(" + expr(b.a(), true) + ", " + expr(b.b(), true) + ")";
                }
                String inner = expr(b.a(), false) + " " + sym + " " + expr(b.b(), false);
                yield top ? inner : "(" + inner + ")";
            }
            case Expr.Un u -> u.op().irName() + "(" + expr(u.x(), true) + ")";
            case Expr.Select s -> "select(" + expr(s.cond(), true) + ", " + expr(s.a(), true) + ", "
                    + expr(s.b(), true) + ")";
            case Expr.Conv c -> c.to().irName() + "(" + expr(c.x(), true) + ")";
            case Expr.Load l -> array(l.array()) + "[" + expr(l.index(), true) + "]";
            case Expr.Special s -> s.reg().irName() + "(" + s.dim() + ")";
        };
    }

    /** The infix spelling of an operator, or null for those printed as calls (min, max). */
    static String infix(LBinOp op) {
        return switch (op) {
            case ADD -> "+";
            case SUB -> "-";
            case MUL -> "*";
            case DIV -> "/";
            case REM -> "%";
            case LT -> "<";
            case LE -> "<=";
            case GT -> ">";
            case GE -> ">=";
            case EQ -> "==";
            case NE -> "!=";
            case AND -> "&&";
            case OR -> "||";
            case MIN, MAX -> null;
        };
    }
}
