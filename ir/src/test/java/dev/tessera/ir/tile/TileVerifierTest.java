package dev.tessera.ir.tile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.ir.BinaryOp;
import dev.tessera.ir.DType;
import dev.tessera.ir.Diagnostic;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The tile verifier accepts the fixtures and names each broken rule. */
class TileVerifierTest {

    @Test
    void validProgramsHaveNoDiagnostics() {
        TileModule m = new TileModule(List.of(TileFixtures.broadcastAdd(), TileFixtures.softmax(), TileFixtures.matmul()));
        assertEquals(List.of(), TileVerifier.verify(m));
    }

    /** Each case edits valid text (first occurrence of {@code from} becomes {@code to}) and expects one message. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ADD     | %2 = add %0, %1 : f32          | %2 = add %0, %1 : bool          | @add/@add_0: %2: add gives f32, not bool
            ADD     | %1 = load %b[0, d1] : f32      | %1 = load %b[0, d1] : f16       | %1: load from %b of dtype f32 gives f16
            ADD     | %1 = load %b[0, d1] : f32      | %1 = load %b[d0, d1] : f32      | axis 0 of extent 1 indexed by d0 of extent N (use 0 for a broadcast axis)
            ADD     | %0 = load %x[d0, d1] : f32     | %0 = load %x[0, d1] : f32       | index 0 on axis 0 of extent N (only extent 1)
            ADD     | %0 = load %x[d0, d1] : f32     | %0 = load %x[d0] : f32          | 1 indices for a tensor of rank 2
            ADD     | %0 = load %x[d0, d1] : f32     | %0 = load %x[d0, d2] : f32      | d2 is not an axis of domain [N, D]
            ADD     | %0 = load %x[d0, d1] : f32     | %0 = load %x[d1, d0] : f32      | axis 0 of extent N indexed by d1 of extent D
            ADD     | reads=[%x, %b]                 | reads=[%x]                      | load from %b, which is not in reads
            ADD     | reads=[%x, %b]                 | reads=[%x, %b, %q]              | reads unknown buffer %q
            ADD     | writes=[%out0]                 | writes=[%out0, %x]              | writes %x, which is (a view of) a program input
            ADD     | writes=[%out0]                 | writes=[]                       | store to %out0, which is not in writes
            ADD     | store %out0[d0, d1], %2        | store %out0[d0, d1], %1         | ""
            ADD     | store %out0[d0, d1], %2        | store %out0[0, d1], %2          | index 0 on axis 0 of extent N
            ADD     | %2 = add %0, %1 : f32          | %2 = add %0, %1 : f32 %3 = cast.f16 %2 : f16 store %out0[d0, d1], %3 | store to %out0 of dtype f32 with a value of dtype f16
            ADD     | %2 = add %0, %1 : f32          | %2 = lt %0, %1 : f32            | %2: lt gives bool, not f32
            ADD     | %2 = add %0, %1 : f32          | %c = lt %0, %1 : bool %2 = and %c, %c : f32 | %2: and gives bool, not f32
            ADD     | %2 = add %0, %1 : f32          | %c = lt %0, %1 : bool %2 = add %c, %0 : f32 | %2: operands of add have different dtypes bool and f32
            ADD     | %2 = add %0, %1 : f32          | %2 = select %0, %0, %1 : f32    | %2: select condition needs a bool
            ADD     | %2 = add %0, %1 : f32          | %2 = reduce.sum %0 : f32        | %2: reduce.sum in a kernel without sweep axes
            ADD     | %2 = add %0, %1 : f32          | %i = const 2 : i32 %2 = exp %i : f32 | exp needs a float
            ADD     | %2 = add %0, %1 : f32          | %i = const 2.5 : i32 %2 = add %0, %1 : f32 | %i: constant 2.5 is not a i32
            ADD     | %2 = add %0, %1 : f32          | %i = const 2 : bool %2 = add %0, %1 : f32 | %i: constant 2.0 is not a bool
            ADD     | %2 = add %0, %1 : f32          | %2 = cast.f16 %0 : f32          | %2: cast.f16 gives f16, not f32
            ADD     | %2 = add %0, %1 : f32          | %n = const 1 : bool %2 = not %n : f32 | %2: not gives bool, not f32
            ADD     | pointwise domain=[N, D]        | "pointwise domain=[N | D]"      | "pointwise kernel has sweep axes [N | D]"
            ADD     | pointwise domain=[N, D]        | matmul domain=[N, D]            | matmul kernel has no dot
            ADD     | pointwise domain=[N, D]        | reduce domain=[N, D]            | reduce kernel has no sweep axes
            SOFTMAX | view %sv: f32[N, 1] = %s       | view %sv: f32[N, 2] = %s        | @softmax: view %sv [N, 2] has another element count than %s [N]
            SOFTMAX | view %sv: f32[N, 1] = %s       | view %sv: i32[N, 1] = %s        | view %sv has dtype i32 but %s has f32
            SOFTMAX | view %sv: f32[N, 1] = %s       | view %sv: f32[N, 1] = %zz       | view %sv names unknown buffer %zz
            SOFTMAX | view %sv: f32[N, 1] = %s       | view %sv: f32[N, 1] = %sv       | view %sv is part of a cycle of views
            SOFTMAX | temp %s: f32[N]                | temp %s: f32[N] temp %e: f32[N] | buffer %e is declared twice
            SOFTMAX | store %s[d0], %4               | store %s[d0], %3                | store to %s: value %3 varies along sweep axis d1, which the index does not use
            SOFTMAX | store %e[d0, d1], %3           | store %e[d0, d1], %3 store %s[0], %4 | store to %s does not use parallel axis d0
            SOFTMAX | @softmax_1                     | @softmax_0                      | @softmax: kernel @softmax_0 is defined twice
            """)
    void brokenRulesAreReported(String fixture, String from, String to, String message) {
        String text = TilePrinter.print(fixture.equals("ADD") ? TileFixtures.broadcastAdd() : TileFixtures.softmax());
        assertTrue(text.contains(from), from);
        List<Diagnostic> ds = TileVerifier.verify(TileParser.parseProgram(text.replaceFirst(
                java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to))));
        String all = ds.stream().map(Diagnostic::message).collect(Collectors.joining("\n"));
        if (message == null || message.isEmpty()) {
            assertEquals("", all, "storing another value of the right dtype is fine");
            return;
        }
        assertTrue(all.contains(message), "expected '" + message + "' in:\n" + all);
        assertTrue(ds.stream().allMatch(d -> d.severity() == Diagnostic.Severity.ERROR));
    }

    @Test
    void matmulRules() {
        String text = TilePrinter.print(TileFixtures.matmul());
        assertEquals(List.of(), TileVerifier.verify(TileParser.parseProgram(text)));
        assertReports(text.replace("%acc = dot %a, %b : f32", "%acc = dot %a, %b : i32"), "%acc: dot of f16 gives i32");
        assertReports(text.replace("%acc = dot %a, %b : f32", "%f = cast.f32 %a : f32 %acc = dot %f, %b : f32"),
                "%acc: operands of dot have different dtypes f32 and f16");
        assertReports(text.replace("domain=[M, N | K]", "domain=[M, N, K]"), "%acc: dot in a kernel without sweep axes");
    }

    @Test
    void ssaViolationsBuiltAsRecordsAreReported() {
        TileProgram p = TileFixtures.broadcastAdd();
        TileKernel k = p.kernels().getFirst();
        List<TInstr> body = new ArrayList<>(k.body());
        // %2 used with the wrong dtype, an undefined operand, and %0 defined twice.
        body.set(2, new TInstr(TileFixtures.f32("2"), new TOp.Binary(BinaryOp.ADD,
                new TValue("0", DType.F16), TileFixtures.f32("9"))));
        body.add(new TInstr(TileFixtures.f32("0"), new TOp.Const(1)));
        TileKernel bad = new TileKernel(k.name(), k.kind(), k.reads(), k.writes(), k.domain(), k.schedule(), body,
                List.of(new TStore("out0", k.stores().getFirst().index(), TileFixtures.f32("7"))));
        List<String> ms = TileVerifier.verify(new TileProgram(p.name(), p.buffers(), List.of(bad))).stream()
                .map(Diagnostic::message).toList();
        assertTrue(ms.contains("@add/@add_0: %2: operand %0 has dtype f16 but is defined as f32"), ms.toString());
        assertTrue(ms.contains("@add/@add_0: %2: operand %9 is not defined before use"), ms.toString());
        assertTrue(ms.contains("@add/@add_0: %0 is defined twice"), ms.toString());
        assertTrue(ms.contains("@add/@add_0: store to %out0: value %7 is not defined"), ms.toString());
    }

    @Test
    void duplicateProgramsInAModule() {
        TileModule m = new TileModule(List.of(TileFixtures.broadcastAdd(), TileFixtures.broadcastAdd()));
        assertEquals(List.of("@add: program is defined twice"),
                TileVerifier.verify(m).stream().map(Diagnostic::message).toList());
    }

    private static void assertReports(String text, String message) {
        String all = TileVerifier.verify(TileParser.parseProgram(text)).stream().map(Diagnostic::message)
                .collect(Collectors.joining("\n"));
        assertTrue(all.contains(message), "expected '" + message + "' in:\n" + all);
    }
}
