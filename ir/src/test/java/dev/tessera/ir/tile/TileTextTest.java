package dev.tessera.ir.tile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.DType;
import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.DiagnosticRenderer;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tile IR text: golden output, print/parse round trips, positioned parse errors, and mangled input. */
class TileTextTest {

    static final String ADD = """
            program @add(%x: f32[N, D], %b: f32[1, D]) -> (%out0: f32[N, D]) {
              kernel @add_0 pointwise domain=[N, D] reads=[%x, %b] writes=[%out0] schedule(bx=16, by=8) {
                %0 = load %x[d0, d1] : f32
                %1 = load %b[0, d1] : f32
                %2 = add %0, %1 : f32
                store %out0[d0, d1], %2
              }
            }
            """;

    static final String SOFTMAX = """
            program @softmax(%x: f32[N, D]) -> (%out0: f16[N, D]) {
              temp %e: f32[N, D]
              temp %s: f32[N]
              view %sv: f32[N, 1] = %s
              kernel @softmax_0 reduce domain=[N | D] reads=[%x] writes=[%e, %s] schedule(wg=128) {
                %0 = load %x[d0, d1] : f32
                %1 = reduce.max %0 : f32
                %2 = sub %0, %1 : f32
                %3 = exp %2 : f32
                %4 = reduce.sum %3 : f32
                store %e[d0, d1], %3
                store %s[d0], %4
              }
              kernel @softmax_1 pointwise domain=[N, D] reads=[%e, %sv] writes=[%out0] schedule() {
                %0 = load %e[d0, d1] : f32
                %1 = load %sv[d0, 0] : f32
                %2 = div %0, %1 : f32
                %3 = const 0.0 : f32
                %4 = const -1.5E-7 : f32
                %5 = gt %2, %3 : bool
                %6 = select %5, %2, %4 : f32
                %out = cast.f16 %6 : f16
                store %out0[d0, d1], %out
              }
            }
            """;

    @Test
    void printsTheGoldenText() {
        assertEquals(ADD, TilePrinter.print(TileFixtures.broadcastAdd()));
        assertEquals(SOFTMAX, TilePrinter.print(TileFixtures.softmax()));
    }

    @Test
    void programsRoundTripToEqualRecordsAndText() {
        for (TileProgram p : List.of(TileFixtures.broadcastAdd(), TileFixtures.softmax(), TileFixtures.matmul())) {
            String text = TilePrinter.print(p);
            TileProgram back = TileParser.parseProgram(text);
            assertEquals(p, back);
            assertEquals(text, TilePrinter.print(back));
        }
    }

    @Test
    void modulesAndKernelsRoundTrip() {
        TileModule m = new TileModule(List.of(TileFixtures.broadcastAdd(), TileFixtures.softmax(), TileFixtures.matmul()));
        String text = TilePrinter.print(m);
        assertTrue(text.contains("}\n\nprogram @softmax"), "programs are separated by a blank line");
        assertEquals(m, TileParser.parseModule(text));
        assertEquals(text, TilePrinter.print(TileParser.parseModule(text)));
        assertEquals(new TileModule(List.of()), TileParser.parseModule(""));
        assertEquals("", TilePrinter.print(new TileModule(List.of())));

        TileKernel k = TileFixtures.softmax().kernels().get(1);
        String kt = TilePrinter.print(k);
        assertTrue(kt.startsWith("kernel @softmax_1 pointwise"));
        assertEquals(k, TileParser.parseKernel(kt));
    }

    @Test
    void domainsWithoutParallelOrAnyAxesRoundTrip() {
        for (String domain : List.of("[]", "[| K]", "[4, N | K, 2]")) {
            String text = "kernel @k reduce domain=" + domain + " reads=[] writes=[] schedule() {\n}\n";
            assertEquals(text, TilePrinter.print(TileParser.parseKernel(text)));
        }
    }

    @Test
    void constantsRoundTripBitForBit() {
        double[] values = {0.0, -0.0, 1.0, -1.5, 0.1, 1e-300, Double.MIN_VALUE, Double.MAX_VALUE, 1e21, 123456789.0,
            (float) 0.1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 3.0000000000000004};
        for (double v : values) {
            TileKernel k = new TileKernel("c", KernelKind.POINTWISE, List.of(), List.of(),
                    new Domain(List.of(), List.of()), new Schedule(Map.of()),
                    List.of(new TInstr(new TValue("0", DType.F64), new TOp.Const(v))), List.of());
            String text = TilePrinter.print(k);
            TileKernel back = TileParser.parseKernel(text);
            double got = ((TOp.Const) back.body().getFirst().op()).value();
            assertEquals(Double.doubleToLongBits(v), Double.doubleToLongBits(got), text);
            assertEquals(text, TilePrinter.print(back));
        }
    }

    @Test
    void commentsAndLooseLayoutParse() {
        String text = "// a comment\nprogram @p(%x: f32[N]) -> (%y: f32[N]) {   // trailing\n"
                + "kernel @k pointwise domain=[N] reads=[%x] writes=[%y] schedule(wg=64) { %0 = load %x[d0] : f32 "
                + "%1 = neg %0 : f32 store %y[d0], %1 } }";
        TileProgram p = TileParser.parseProgram(text);
        assertEquals(2, p.kernels().getFirst().body().size());
        assertEquals(TilePrinter.print(p), TilePrinter.print(TileParser.parseProgram(TilePrinter.print(p))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            %0 = lod %x[d0] : f32                 | 3 | 10 | unknown operation 'lod'
            %0 = load %x[d0 : f32                 | 3 | 21 | expected ']' but found ':'
            %0 = load %x[d0] : f33                | 3 | 24 | expected an element type
            %0 = load %x[e0] : f32                | 3 | 18 | expected a domain axis 'd<n>' or 0 but found 'e0'
            %0 = add %1, %1 : f32                 | 3 | 14 | use of undefined value '%1'
            %0 = const 1.5 : f32 %0 = const 2.0 : f32 | 3 | 26 | value '%0' is already defined
            %0 = const 1.5x : f32                 | 3 | 16 | expected a number but found '1.5x'
            %0 = reduce.avg %x : f32              | 3 | 10 | unknown operation 'reduce.avg'
            %0 = const 1 : f32 $                  | 3 | 24 | unexpected character '$'
            store %y[d0] %0                       | 3 | 18 | expected ',' but found '%0'
            """)
    void malformedTextIsADiagnosticWithItsPosition(String line, int row, int col, String message) {
        String text = "program @p(%x: f32[N]) -> (%y: f32[N]) {\n"
                + "  kernel @k pointwise domain=[N] reads=[%x] writes=[%y] schedule() {\n"
                + "    " + line + "\n  }\n}\n";
        CompileException e = assertThrows(CompileException.class, () -> TileParser.parseProgram("t.tile", text));
        Diagnostic d = e.diagnostics().getFirst();
        assertTrue(d.message().contains(message), d.message());
        assertEquals(row, d.span().line(), d.message());
        assertEquals(col, d.span().column(), d.message());
        assertEquals("t.tile", d.span().file());
        String rendered = new DiagnosticRenderer(text).render(d);
        assertTrue(rendered.startsWith("t.tile:" + row + ":" + col + ": error: "), rendered);
    }

    @Test
    void headerErrors() {
        assertMessage("program @p(%x: f32[N]) -> (%y: f32[N]) {\n  kernel @k pointless domain=[N]",
                "unknown kernel kind 'pointless'");
        assertMessage("program @p(%x: f32[N]) -> (%y: f32[N]) {\n  kernel @k pointwise domain=[N] reads=[%x] "
                + "writes=[%y] schedule(wg=-1) {", "expected a non-negative integer");
        assertMessage("program @p(%x: f32[N]) -> (%y: f32[N]) {\n  kernel @k pointwise domain=[N] reads=[%x] "
                + "writes=[%y] schedule(wg=1, wg=2) {", "given twice");
        assertMessage("program @p(%x: f32[N.M]) -> () {}", "expected a dimension");
        assertMessage("program @p(%x: f32[99999999999999999999]) -> () {}", "bad dimension");
        assertMessage("program @p() -> () {\n  temp %t: f32[N]\n  bogus\n}", "expected 'temp', 'view', 'kernel' or '}'");
        assertMessage("program @p() -> () {", "expected 'temp', 'view', 'kernel' or '}' but found end of input");
        assertMessage("program @p() -> () {} extra", "expected 'program' but found 'extra'");
    }

    private static void assertMessage(String text, String message) {
        CompileException e = assertThrows(CompileException.class, () -> TileParser.parseModule(text));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    /** Random edits of valid text must parse or fail with a positioned diagnostic, never another exception. */
    @Test
    void mangledTextNeverThrowsAnythingButCompileException() {
        String base = TilePrinter.print(new TileModule(List.of(TileFixtures.softmax(), TileFixtures.matmul())));
        SplittableRandom r = new SplittableRandom(7);
        String alphabet = "%@[](){}|,:=-.0123456789 \ndxyfN_";
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder(base);
            for (int edits = 1 + r.nextInt(3); edits > 0; edits--) {
                int at = r.nextInt(sb.length());
                switch (r.nextInt(3)) {
                    case 0 -> sb.delete(at, Math.min(sb.length(), at + 1 + r.nextInt(8)));
                    case 1 -> sb.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
                    default -> sb.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
                }
            }
            try {
                TileModule m = TileParser.parseModule(sb.toString());
                String printed = TilePrinter.print(m);
                assertEquals(printed, TilePrinter.print(TileParser.parseModule(printed)));
            } catch (CompileException e) {
                assertTrue(e.diagnostics().getFirst().span().isKnown(), e.getMessage());
            } catch (RuntimeException e) {
                fail("input " + i + " threw " + e + " for:\n" + sb, e);
            }
        }
    }
}
