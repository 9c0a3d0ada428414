package dev.tessera.frontend;

import dev.tessera.frontend.ast.Expr;
import dev.tessera.frontend.ast.KernelDecl;
import dev.tessera.ir.Dim;
import dev.tessera.ir.TensorType;
import dev.tessera.ir.graph.Value;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Calls of other kernels of the file, inlined: the callee's symbolic dims are bound to the argument shapes (its
 * {@code N} becomes the caller's {@code S}) and its body is lowered again into the caller, under a name prefix.
 */
final class CallInliner {

    private final ExprLowerer exprs;
    private final Scope scope;
    private final Typer typer;

    CallInliner(ExprLowerer exprs, Scope scope, Typer typer) {
        this.exprs = exprs;
        this.scope = scope;
        this.typer = typer;
    }

    Operand inline(KernelDecl callee, Expr.Call call, String name) {
        if (call.typeArg().isPresent()) {
            typer.error(call.calleeSpan(), "kernel '" + callee.name() + "' takes no type argument");
            return exprs.lowerArgsForErrors(call);
        }
        List<String> params = callee.params().stream().map(KernelDecl.Param::name).toList();
        Map<String, Expr> args = ArgBinder.bind(callee.name(), params, params.size(), call.args(), call.span(),
                typer.diags());
        if (args == null) {
            return exprs.lowerArgsForErrors(call);
        }
        Map<String, Operand> lowered = new LinkedHashMap<>();
        for (String p : params) {
            lowered.put(p, exprs.tensor(args.get(p)));
        }
        if (Typer.anyPoison(List.copyOf(lowered.values()))) {
            return Operand.POISON;
        }
        if (callee.results().size() != 1) {
            typer.error(call.span(), "kernel '" + callee.name() + "' returns " + callee.results().size()
                    + " values; only a kernel with one result can be called in an expression");
            return Operand.POISON;
        }
        Map<String, Dim> subst = new HashMap<>();
        Map<String, String> boundBy = new HashMap<>();
        Map<String, Operand> env = new HashMap<>();
        boolean ok = true;
        for (KernelDecl.Param p : callee.params()) {
            Value v = bind(callee, p, args.get(p.name()), lowered.get(p.name()), subst, boundBy);
            if (v == null) {
                ok = false;
            } else {
                env.put(p.name(), new Operand.Val(v));
            }
        }
        if (!ok) {
            return Operand.POISON;
        }
        if (scope.builder().isFull()) {
            if (scope.builder().firstTooLargeReport()) {
                typer.error(call.span(), "inlining '" + callee.name() + "' makes the kernel larger than "
                        + GraphBuilder.MAX_INSTRUCTIONS + " instructions");
            }
            return Operand.POISON;
        }
        String prefix = scope.builder().inlinePrefix(scope.prefix(), callee.name());
        Scope inner = new Scope(scope.module(), scope.builder(),
                new Diags.AtCall(scope.diags(), call.span(), callee.name()), prefix, subst);
        return new BodyLowerer(inner).lower(callee, env, name)
                .<Operand>map(results -> new Operand.Val(results.getFirst()))
                .orElse(Operand.POISON);
    }

    /** The value for one parameter, with its dims unified against the declaration; null after an error. */
    private Value bind(KernelDecl callee, KernelDecl.Param p, Expr arg, Operand a, Map<String, Dim> subst,
            Map<String, String> boundBy) {
        KernelDecl.TypeRef declared = p.type();
        TensorType written = declared.resolve(Map.of());
        String what = "argument '" + p.name() + "' of '" + callee.name() + "'";
        return switch (a) {
            case Operand.Poison x -> null;
            case Operand.Lit lit when !declared.dims().isEmpty() -> {
                typer.error(lit.span(), what + " must be " + written + ", not the scalar literal " + lit.text());
                yield null;
            }
            case Operand.Lit lit -> typer.materialize(lit, declared.dtype(), what);
            case Operand.Val(Value v) -> {
                TensorType got = v.type();
                if (got.dtype() != declared.dtype() || got.rank() != declared.dims().size()) {
                    typer.error(arg.span(), what + " must be " + written + ", got " + got);
                    yield null;
                }
                for (int i = 0; i < got.rank(); i++) {
                    Dim want = declared.dims().get(i);
                    Dim have = got.shape().dim(i);
                    String problem = switch (want) {
                        case Dim.Lit l -> l.equals(have) ? null : "dimension " + i + " must be " + l + ", not " + have;
                        case Dim.Sym s -> {
                            Dim before = subst.putIfAbsent(s.name(), have);
                            boundBy.putIfAbsent(s.name(), "argument '" + p.name() + "'");
                            yield before == null || before.equals(have) ? null
                                    : s.name() + " would be " + have + " here but is " + before + " from "
                                            + boundBy.get(s.name());
                        }
                    };
                    if (problem != null) {
                        typer.error(arg.span(), what + " must be " + written + ", got " + got + ": " + problem);
                        yield null;
                    }
                }
                yield v;
            }
        };
    }
}
