package dev.tessera.frontend;

import dev.tessera.frontend.ast.Expr;
import dev.tessera.ir.SourceSpan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Matches the arguments of a call to parameters: positional ones first, then {@code name=value}. */
final class ArgBinder {

    private ArgBinder() {}

    /**
     * The argument given for each parameter that has one, or null after reporting every mismatch (too many, unknown
     * or repeated names, missing required ones).
     */
    static Map<String, Expr> bind(String function, List<String> params, int required, List<Expr.Arg> args,
            SourceSpan call, Diags diags) {
        Map<String, Expr> bound = new LinkedHashMap<>();
        boolean ok = true;
        boolean sawNamed = false;
        int positional = 0;
        for (Expr.Arg arg : args) {
            if (arg.name().isEmpty()) {
                if (sawNamed) {
                    diags.error(arg.span(), "positional argument after a named argument in call to '" + function + "'");
                    ok = false;
                } else if (positional >= params.size()) {
                    if (positional == params.size()) {
                        diags.error(arg.span(), "too many arguments to '" + function + "': it takes "
                                + count(params.size()) + ", got " + args.size());
                    }
                    ok = false;
                    positional++;
                } else {
                    bound.put(params.get(positional++), arg.value());
                }
                continue;
            }
            sawNamed = true;
            String name = arg.name().get();
            if (!params.contains(name)) {
                String hint = Suggest.closest(name, params).map(s -> "; did you mean '" + s + "'?")
                        .orElse(" (its parameters: " + String.join(", ", params) + ")");
                diags.error(arg.span(), "unknown named argument '" + name + "' for '" + function + "'" + hint);
                ok = false;
            } else if (bound.containsKey(name)) {
                diags.error(arg.span(), "argument '" + name + "' of '" + function + "' is given more than once");
                ok = false;
            } else {
                bound.put(name, arg.value());
            }
        }
        if (ok) {
            for (String p : params.subList(0, required)) {
                if (!bound.containsKey(p)) {
                    diags.error(call, "missing argument '" + p + "' in call to '" + function + "': it takes "
                            + (required == params.size() ? "" : "at least ") + count(required) + ", got "
                            + args.size());
                    ok = false;
                    break;
                }
            }
        }
        return ok ? bound : null;
    }

    private static String count(int n) {
        return n + (n == 1 ? " argument" : " arguments");
    }
}
