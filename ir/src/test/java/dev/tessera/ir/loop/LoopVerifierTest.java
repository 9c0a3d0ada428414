package dev.tessera.ir.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.ir.BufferPlan;
import dev.tessera.ir.DType;
import dev.tessera.ir.Diagnostic;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The loop verifier accepts valid kernels (random ones too) and names each broken rule, barriers included. */
class LoopVerifierTest {

    /** A program around one kernel body; {@code %x} is read-only, {@code %y} written, {@code red} local. */
    private static String program(String header, String body) {
        return "program @p(%x: f32[N], %h: f16[N]) -> (%y: f32[N], %o: i32[N]) {\n  temp %t: f32[N]\n"
                + "  kernel @k(global f32 %x, global mut f32 %y, global mut i32 %o, dim %N) local(f32 red[64]) "
                + header + " {\n" + body + "\n  }\n}\n";
    }

    private static String verify(String text) {
        return LoopVerifier.verify(LoopParser.parseProgram(text)).stream().map(Diagnostic::message)
                .collect(Collectors.joining("\n"));
    }

    private static void assertReports(String header, String body, String message) {
        String all = verify(program(header, body));
        assertTrue(all.contains(message), "expected '" + message + "' in:\n" + all);
    }

    private static void assertClean(String header, String body) {
        assertEquals("", verify(program(header, body)));
    }

    private static final String G = "grid(%N) block(64)";

    @Test
    void validProgramsHaveNoDiagnostics() {
        assertEquals(List.of(), LoopVerifier.verify(new LoopModule(List.of(LoopFixtures.broadcastAdd(),
                LoopFixtures.rowReduce(128)))));
        assertEquals(List.of(), LoopVerifier.verify(LoopFixtures.rowReduce(1)));
        for (int seed = 0; seed < 300; seed++) {
            LoopKernel k = new RandomLoopKernels(seed).kernel();
            BufferPlan plan = new BufferPlan(List.of(LoopIr.buffer("x", DType.F16, LoopFixtures.N)),
                    List.of(LoopIr.buffer("y", DType.I32, LoopFixtures.N),
                            LoopIr.buffer("z", DType.BOOL, LoopFixtures.N)),
                    List.of(), List.of());
            assertEquals(List.of(), LoopVerifier.verify(new LoopProgram("p", plan, List.of(k))),
                    () -> LoopPrinter.print(k));
        }
        assertClean(G, "decl i32 a = 1\n if (true) { decl f32 a = 1.0f }\n for i32 i = 0 to 3 step 1 { decl i32 a = i }");
    }

    @Test
    void typesAndScopes() {
        assertReports(G, "decl i32 a = 1\n decl i32 a = 2", "@p/@k: variable a is declared twice in the same scope");
        assertReports(G, "decl f32 a = 1.0f + 1", "operands of add have different types f32 and i32: 1.0f + 1");
        assertReports(G, "decl f32 a = 1", "initial value of a is i32, expected f32: 1");
        assertReports(G, "decl i32 a = 1\n a = 2.0f", "value assigned to a is f32, expected i32");
        assertReports(G, "if (1) { }", "if condition is i32, expected bool");
        assertReports(G, "decl f32 a = select(1, 1.0f, 2.0f)", "select condition is i32, expected bool");
        assertReports(G, "decl f32 a = select(true, 1.0f, 2.0)", "select operands have different types f32 and f64");
        assertReports(G, "for f32 i = 0.0f to 1.0f step 1.0f { }", "loop variable i is f32, not an integer");
        assertReports(G, "for i32 i = 0 to 1L step 1 { }", "upper bound of loop i is i64, expected i32");
        assertReports(G, "for i32 i = 0 to 4 step 0 { }", "loop i has step 0; steps must be positive");
        assertReports(G, "for i32 i = 0 to 4 step 1 { i = 2 }", "cannot assign to loop variable i");
        assertReports(G, "%N = 2", "cannot assign to dimension parameter %N");
        assertReports(G, "decl i32 N = 2", "variable N shadows dimension parameter %N");
        assertReports(G, "decl f32 a = exp(1)", "exp needs a float operand: exp(1)");
        assertReports(G, "decl bool a = true + false", "add needs numeric operands");
        assertReports(G, "decl bool a = 1.0f && 2.0f", "and needs bool or integer operands");
        assertReports(G, "decl f32 a = not(1.0f)", "not needs a bool or integer operand");
        assertReports(G, "decl bool a = true < false", "lt needs numeric operands");
        assertReports(G, "decl i32 a = 3000000000", "literal 3000000000 does not fit in i32");
        assertReports(G, "decl i32 a = global_id(1)", "global_id(1) in a 1-D launch");
    }

    @Test
    void memoryAccess() {
        assertReports(G, "store %x[0] = 1.0f", "store to %x, which is not marked mut");
        assertReports(G, "store %y[0] = 1", "value stored to y is i32, expected f32: 1");
        assertReports(G, "store %o[0] = 1.0f", "value stored to o is f32, expected i32");
        assertReports(G, "store red[1.0f] = 1.0f", "index of store to red is f32, not an integer");
        assertReports(G, "decl f32 a = %x[true]", "index of load from x is bool, not an integer");
        assertClean(G, "store red[0] = %x[0L]\n store %o[local_id(0)] = i32(red[0])");
    }

    @Test
    void launchShape() {
        assertReports("grid(%N, 1) block(64, 32)", "", "work-group of 2048 items exceeds 1024");
        assertReports("grid(%N) block(0)", "", "work-group size 0 is not positive");
        assertReports("grid(select(true, %N, 1)) block(64)", "", "grid size select(true, %N, 1) may use only dimension");
        assertReports("grid(%N < 3) block(64)", "", "grid size %N < 3 may use only dimension");
        assertClean("grid(max(%N, 64) * 2, 4) block(64, 4)", "");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "if (local_id(0) < 32) { barrier }",
        "decl i32 t = global_id(0) * 2\n if (t < 5) { barrier }",
        "decl i32 u = 0\n if (local_id(0) == 0) { u = 1 }\n if (u == 1) { barrier }",
        "for i32 i = 0 to local_id(0) step 1 { barrier }",
        "decl f32 v = %x[local_id(0)]\n if (v > 0.0f) { } else { if (true) { barrier } }",
        // Taint that reaches the bound only on the next iteration.
        "decl i32 n = 4\n for i32 i = 0 to n step 1 { barrier\n n = local_id(0) }",
    })
    void barriersThatSomeThreadsMaySkipAreErrors(String body) {
        assertReports(G, body, "which depends on the thread id: threads that skip it would deadlock the work-group");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "barrier",
        "if (group_id(0) < 3) { barrier }",
        "for i32 i = 0 to %N step local_size(0) { barrier }",
        "decl i32 s = 32\n for i32 l = 0 to 5 step 1 { if (local_id(0) < s) { store red[0] = 1.0f }\n barrier\n s = s / 2 }",
        "decl f32 v = %x[group_id(0)]\n if (v > 0.0f) { barrier }",
    })
    void barriersEveryThreadReachesAreFine(String body) {
        assertClean(G, body);
    }

    @Test
    void paramsAndPlan() {
        String text = program(G, "barrier");
        assertTrue(verify(text.replace("global f32 %x", "global f16 %x")).contains(
                "parameter %x is f16 but the buffer is f32"));
        assertTrue(verify(text.replace("global f32 %x", "global mut f32 %x")).contains(
                "parameter %x is written but is (a view of) a program input"));
        assertTrue(verify(text.replace("global f32 %x", "global f32 %q")).contains(
                "parameter %q names no buffer of the program"));
        assertTrue(verify(text.replace("dim %N)", "dim %N, dim %N)")).contains("parameter %N is declared twice"));
        assertTrue(verify(text.replace("local(f32 red[64])", "local(f32 red[64], i32 x[0])")).contains(
                "local array x clashes with another parameter or local array"));
        assertTrue(verify(text.replace("local(f32 red[64])", "local(f32 red[0])")).contains(
                "local array red has length 0"));
        assertTrue(verify(text.replace("temp %t: f32[N]", "temp %t: f32[N]\n  view %v: f32[N, 2] = %t")).contains(
                "@p: view %v [N, 2] has another element count than %t [N]"));
        assertTrue(verify(text.replace("temp %t: f32[N]", "temp %t: f32[N]\n  view %v: f32[1, N] = %x")
                .replace("global f32 %x", "global mut f32 %v")).contains("parameter %v is written but is (a view of)"));
    }

    /** What text cannot express (the parser resolves names and types), built as records. */
    @Test
    void recordOnlyMistakes() {
        LoopProgram good = LoopFixtures.broadcastAdd();
        LoopKernel k = good.kernels().getFirst();
        List<Stmt> body = new ArrayList<>(k.body());
        body.add(new Stmt.Decl(LoopIr.i32("u"), LoopIr.i32("nowhere")));
        body.add(new Stmt.Decl(LoopIr.f32("w"), LoopIr.f32("col")));
        body.add(new Stmt.Decl(LoopIr.f32("z"), new Expr.Load("x", LoopIr.lit(0), LType.F64)));
        body.add(new Stmt.Decl(LoopIr.f32("q"), new Expr.Load("ghost", LoopIr.lit(0), LType.F32)));
        body.add(new Stmt.Decl(new Expr.Var("true", LType.BOOL), new Expr.BoolLit(true)));
        LoopKernel bad = new LoopKernel(k.name(), k.params(), k.locals(),
                List.of(LoopIr.i32("col"), LoopIr.i32("N")), k.localSize(), body);
        String all = LoopVerifier.verify(new LoopProgram("add", good.buffers(), List.of(bad, bad))).stream()
                .map(Diagnostic::message).collect(Collectors.joining("\n"));
        for (String m : List.of("@add/@add_0: variable nowhere is used before it is declared",
                "variable col is used as f32 but declared i32",
                "load from x is typed f64 but its elements compute as f32",
                "load from ghost, which is neither a buffer parameter nor a local array",
                "variable name true is reserved",
                "grid size uses col, which is not a dimension parameter",
                "@add: kernel @add_0 is defined twice")) {
            assertTrue(all.contains(m), "expected '" + m + "' in:\n" + all);
        }
    }
}
