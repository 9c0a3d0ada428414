package dev.tessera.codegen.opencl;

import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LocalArray;
import dev.tessera.ir.loop.LoopComments;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopParam;
import dev.tessera.ir.loop.Stmt;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Writes one loop-IR kernel as an OpenCL C {@code __kernel} function, one statement per line. */
final class KernelWriter {

    private static final String INDENT = "    ";

    private final KernelScope scope;
    private final ExprWriter exprs;
    private final String symbol;
    private final StringBuilder out = new StringBuilder();
    private int depth;

    KernelWriter(KernelScope scope, String symbol) {
        this.scope = scope;
        this.exprs = new ExprWriter(scope);
        this.symbol = symbol;
    }

    String write() {
        LoopKernel k = scope.kernel;
        out.append("// kernel '").append(CNames.commentSafe(k.name())).append("': global [")
                .append(k.globalSize().stream().map(KernelWriter::describeSize).collect(Collectors.joining(", ")))
                .append("], local ").append(k.localSize()).append('\n');
        List<Integer> local = new ArrayList<>(k.localSize());
        while (local.size() < 3) {
            local.add(1);
        }
        // The IR fixes the work-group size; saying so lets the compiler specialise for it and makes a
        // launch with any other size an error instead of a silent miscompute.
        out.append("__kernel __attribute__((reqd_work_group_size(")
                .append(local.stream().map(String::valueOf).collect(Collectors.joining(", "))).append(")))\n");
        out.append("void ").append(symbol).append('(');
        List<String> params = k.params().stream().map(this::param).toList();
        if (params.isEmpty()) {
            out.append("void)\n");
        } else {
            out.append('\n').append(params.stream().map(p -> INDENT + p).collect(Collectors.joining(",\n")))
                    .append(")\n");
        }
        out.append("{\n");
        depth = 1;
        for (LocalArray a : k.locals()) {
            line("__local " + scope.localElemType(a.elem()) + " " + scope.localName(a.name()) + "[" + a.length()
                    + "];");
        }
        block(k.body());
        out.append("}\n");
        return out.toString();
    }

    boolean usesFp64() {
        return scope.usesFp64();
    }

    /**
     * A buffer is const unless written. No {@code restrict}: views let two parameters name one storage,
     * and the IR does not say when they do not.
     */
    private String param(LoopParam p) {
        return switch (p) {
            case LoopParam.BufferParam b -> "__global " + (b.written() ? "" : "const ")
                    + scope.storageType(b.elem()) + "* " + scope.paramName(b);
            case LoopParam.DimParam d -> "const int " + scope.paramName(d);
        };
    }

    private void block(List<Stmt> body) {
        for (Stmt s : body) {
            stmt(s);
        }
    }

    private void stmt(Stmt s) {
        switch (s) {
            case Stmt.Decl d -> line(scope.ctype(d.var().type()) + " " + scope.declaredName(d.var().name()) + " = "
                    + value(d.init(), d.var()) + ";");
            case Stmt.Assign a -> line(scope.varName(a.var().name()) + " = " + value(a.value(), a.var()) + ";");
            case Stmt.Store st -> line(exprs.store(st.array(), st.index(), st.value()));
            case Stmt.For f -> {
                String v = scope.declaredName(f.var().name());
                line("for (" + scope.ctype(f.var().type()) + " " + v + " = " + value(f.lo(), f.var()) + "; " + v
                        + " < " + value(f.hi(), f.var()) + "; " + v + " += " + value(f.step(), f.var()) + ") {");
                nested(f.body());
                line("}");
            }
            case Stmt.If i -> {
                line("if (" + exprs.text(i.cond()) + ") {");
                nested(i.then());
                if (!i.otherwise().isEmpty()) {
                    line("} else {");
                    nested(i.otherwise());
                }
                line("}");
            }
            case Stmt.Barrier b -> line("barrier(CLK_LOCAL_MEM_FENCE);");
        }
    }

    /** {@code e} in the type of {@code target}; well-typed IR needs no conversion, but one costs nothing. */
    private String value(Expr e, Expr.Var target) {
        return exprs.convert(exprs.write(e), e.type(), target.type()).text();
    }

    private void nested(List<Stmt> body) {
        depth++;
        block(body);
        depth--;
    }

    private void line(String text) {
        out.append(INDENT.repeat(depth)).append(text).append('\n');
    }

    /** A launch-size expression in IR spelling, for the comment above the kernel. */
    static String describeSize(Expr e) {
        return CNames.commentSafe(LoopComments.size(e));
    }
}
