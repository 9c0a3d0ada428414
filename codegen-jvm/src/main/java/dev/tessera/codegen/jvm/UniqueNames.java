package dev.tessera.codegen.jvm;

import dev.tessera.ir.loop.Expr;
import dev.tessera.ir.loop.LoopKernel;
import dev.tessera.ir.loop.LoopParam;
import dev.tessera.ir.loop.Stmt;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives every variable a kernel declares a name of its own. Loop IR lets an inner block redeclare an outer
 * name; after this step a name means one declaration, so the barrier split and the emitters can key on names.
 */
final class UniqueNames {

    private final Set<String> taken = new HashSet<>();
    private final Deque<Map<String, String>> scopes = new ArrayDeque<>();

    private UniqueNames() {}

    /** {@code k} itself when no name is declared twice, else a copy with later declarations renamed. */
    static LoopKernel of(LoopKernel k) {
        Set<String> seen = new HashSet<>();
        if (allDistinct(k.body(), seen)) {
            return k;
        }
        UniqueNames u = new UniqueNames();
        u.taken.addAll(seen);
        k.params().stream().map(LoopParam::name).forEach(u.taken::add);
        k.locals().forEach(l -> u.taken.add(l.name()));
        Set<String> declared = new HashSet<>();
        return new LoopKernel(k.name(), k.params(), k.locals(), k.globalSize(), k.localSize(),
                u.block(k.body(), declared));
    }

    private static boolean allDistinct(List<Stmt> body, Set<String> seen) {
        boolean ok = true;
        for (Stmt s : body) {
            switch (s) {
                case Stmt.Decl d -> ok &= seen.add(d.var().name());
                case Stmt.For f -> {
                    ok &= seen.add(f.var().name());
                    ok &= allDistinct(f.body(), seen);
                }
                case Stmt.If i -> {
                    ok &= allDistinct(i.then(), seen);
                    ok &= allDistinct(i.otherwise(), seen);
                }
                case Stmt.Assign a -> { }
                case Stmt.Store st -> { }
                case Stmt.Barrier b -> { }
            }
        }
        return ok;
    }

    /** @param declared names already given to a declaration somewhere in the kernel */
    private List<Stmt> block(List<Stmt> body, Set<String> declared) {
        scopes.push(new HashMap<>());
        List<Stmt> out = new ArrayList<>(body.size());
        for (Stmt s : body) {
            out.add(stmt(s, declared));
        }
        scopes.pop();
        return out;
    }

    private Stmt stmt(Stmt s, Set<String> declared) {
        return switch (s) {
            case Stmt.Decl d -> {
                Expr init = expr(d.init()); // the initialiser sees the outer declaration of a reused name
                yield new Stmt.Decl(declare(d.var(), declared), init);
            }
            case Stmt.Assign a -> new Stmt.Assign(var(a.var()), expr(a.value()));
            case Stmt.Store st -> new Stmt.Store(st.array(), expr(st.index()), expr(st.value()));
            case Stmt.For f -> {
                Expr lo = expr(f.lo());
                Expr hi = expr(f.hi());
                Expr step = expr(f.step());
                scopes.push(new HashMap<>());
                Expr.Var v = declare(f.var(), declared);
                List<Stmt> body = block(f.body(), declared);
                scopes.pop();
                yield new Stmt.For(v, lo, hi, step, body);
            }
            case Stmt.If i -> new Stmt.If(expr(i.cond()), block(i.then(), declared), block(i.otherwise(), declared));
            case Stmt.Barrier b -> b;
        };
    }

    private Expr.Var declare(Expr.Var v, Set<String> declared) {
        String name = v.name();
        if (!declared.add(name)) {
            int n = 2;
            do {
                name = v.name() + "_" + n++;
            } while (!taken.add(name));
            declared.add(name);
        }
        scopes.peek().put(v.name(), name);
        return name.equals(v.name()) ? v : new Expr.Var(name, v.type());
    }

    private Expr.Var var(Expr.Var v) {
        for (Map<String, String> scope : scopes) {
            String renamed = scope.get(v.name());
            if (renamed != null) {
                return renamed.equals(v.name()) ? v : new Expr.Var(renamed, v.type());
            }
        }
        return v; // a dimension parameter
    }

    private Expr expr(Expr e) {
        return switch (e) {
            case Expr.Var v -> var(v);
            case Expr.IntLit i -> i;
            case Expr.FloatLit f -> f;
            case Expr.BoolLit b -> b;
            case Expr.Bin b -> new Expr.Bin(b.op(), expr(b.a()), expr(b.b()));
            case Expr.Un u -> new Expr.Un(u.op(), expr(u.x()));
            case Expr.Select s -> new Expr.Select(expr(s.cond()), expr(s.a()), expr(s.b()));
            case Expr.Conv c -> new Expr.Conv(c.to(), expr(c.x()));
            case Expr.Load l -> new Expr.Load(l.array(), expr(l.index()), l.type());
            case Expr.Special s -> s;
        };
    }
}
