package dev.tessera.ir.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The walk sees every statement and expression once, in program order, nested ones included. */
class LoopWalkTest {

    private static final String TEXT = """
            program @w(%x: f32[N]) -> (%y: f32[N]) {
              kernel @w_0(global f32 %x, global mut f32 %y, dim %N) grid(%N) block(1) {
                decl i32 g = global_id(0)
                for i32 k = 0 to %N step 1 {
                  if (k < g) {
                    store %y[k] = %x[k + 1]
                  } else {
                    barrier
                  }
                }
              }
            }
            """;

    private static List<Stmt> body() {
        return LoopParser.parseProgram(TEXT).kernels().getFirst().body();
    }

    @Test
    void statementsComeBeforeWhatIsNestedInThem() {
        List<String> kinds = new ArrayList<>();
        LoopWalk.statements(body(), s -> kinds.add(s.getClass().getSimpleName()));
        assertEquals(List.of("Decl", "For", "If", "Store", "Barrier"), kinds);
    }

    @Test
    void expressionsComeBeforeTheirOperands() {
        List<String> seen = new ArrayList<>();
        LoopWalk.expressions(body(), e -> seen.add(switch (e) {
            case Expr.Var v -> v.name();
            case Expr.IntLit i -> Long.toString(i.value());
            case Expr.Special s -> s.reg().name();
            case Expr.Load l -> "load " + l.array();
            default -> e.getClass().getSimpleName();
        }));
        assertEquals(List.of("GLOBAL_ID", "0", "N", "1", "Bin", "k", "g", "k", "load x", "Bin", "k", "1"), seen);
    }

    @Test
    void anyMatchLooksInsideOperands() {
        Stmt.Store store = (Stmt.Store) ((Stmt.If) ((Stmt.For) body().get(1)).body().getFirst()).then().getFirst();
        assertTrue(LoopWalk.anyMatch(store.value(), e -> e instanceof Expr.IntLit i && i.value() == 1));
        assertFalse(LoopWalk.anyMatch(store.index(), e -> e instanceof Expr.Load));
    }
}
