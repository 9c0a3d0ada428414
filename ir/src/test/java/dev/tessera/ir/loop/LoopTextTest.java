package dev.tessera.ir.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.Diagnostic;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Loop IR text: golden output, exact round trips of random kernels, literals, precedence and parse errors. */
class LoopTextTest {

    static final String ADD = """
            program @add(%x: f32[N, D], %b: f32[1, D]) -> (%out0: f32[N, D]) {
              kernel @add_0(global f32 %x, global f32 %b, global mut f32 %out0, dim %N, dim %D) \
            grid(((%D + 15) / 16) * 16, ((%N + 7) / 8) * 8) block(16, 8) {
                decl i32 col = global_id(0)
                decl i32 row = global_id(1)
                if ((col < %D) && (row < %N)) {
                  store %out0[(row * %D) + col] = %x[(row * %D) + col] + %b[col]
                }
              }
            }
            """;

    @Test
    void printsTheGoldenText() {
        assertEquals(ADD, LoopPrinter.print(LoopFixtures.broadcastAdd()));
        String rows = LoopPrinter.print(LoopFixtures.rowReduce(128));
        assertTrue(rows.contains("kernel @rows_0(global f32 %x, global mut f32 %sum, global mut f32 %max, dim %N, "
                + "dim %D) local(f32 red[128], f32 mx[128]) grid(%N * 128) block(128) {\n"), rows);
        assertTrue(rows.contains("""
                    decl f32 m = -inff
                    for i32 c = lid to %D step 128 {
                      decl f32 v = %x[(row * %D) + c]
                      acc = acc + v
                      m = max(m, v)
                    }
                """), rows);
        assertTrue(rows.contains("""
                      if (lid < s) {
                        store red[lid] = red[lid] + red[lid + s]
                        store mx[lid] = max(mx[lid], mx[lid + s])
                      }
                      barrier
                      s = s / 2
                """), rows);
    }

    @Test
    void programsModulesAndKernelsRoundTrip() {
        LoopModule m = new LoopModule(List.of(LoopFixtures.broadcastAdd(), LoopFixtures.rowReduce(64)));
        String text = LoopPrinter.print(m);
        assertEquals(m, LoopParser.parseModule(text));
        assertEquals(text, LoopPrinter.print(LoopParser.parseModule(text)));
        for (LoopProgram p : m.programs()) {
            assertEquals(p, LoopParser.parseProgram(LoopPrinter.print(p)));
            LoopKernel k = p.kernels().getFirst();
            assertEquals(k, LoopParser.parseKernel(LoopPrinter.print(k)));
        }
        assertEquals(new LoopModule(List.of()), LoopParser.parseModule("  // nothing\n"));
    }

    /** Random kernels using every form: the verifier accepts them, and text gives back equal records. */
    @Test
    void randomKernelsRoundTripExactly() {
        for (int seed = 0; seed < 300; seed++) {
            LoopKernel k = new RandomLoopKernels(seed).kernel();
            String text = LoopPrinter.print(k);
            LoopKernel back = LoopParser.parseKernel(text);
            assertEquals(text, LoopPrinter.print(back), "seed " + seed);
            // NaN literals compare equal as records (Double.compare), so record equality is exact here.
            assertEquals(k, back, "seed " + seed + ":\n" + text);
        }
    }

    @Test
    void literalsKeepTheirTypeAndBits() {
        String text = "kernel @k() grid(1) block(1) {\n"
                + "  decl f32 a = 0.1f\n  decl f64 b = 0.1\n  decl i32 c = -2147483648\n"
                + "  decl i64 d = -9223372036854775808L\n  decl f32 e = -0.0f\n  decl f64 f = -inf\n"
                + "  decl f32 g = nanf\n  decl bool h = true\n  decl f64 i = 4.9E-324\n  decl f32 j = 1.0E10f\n}\n";
        LoopKernel k = LoopParser.parseKernel(text);
        assertEquals(text, LoopPrinter.print(k));
        List<Expr> inits = k.body().stream().map(s -> ((Stmt.Decl) s).init()).toList();
        assertEquals(new Expr.FloatLit(0.1, LType.F32), inits.get(0));
        assertEquals(new Expr.FloatLit(0.1, LType.F64), inits.get(1));
        assertEquals(new Expr.IntLit(Integer.MIN_VALUE, LType.I32), inits.get(2));
        assertEquals(new Expr.IntLit(Long.MIN_VALUE, LType.I64), inits.get(3));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(((Expr.FloatLit) inits.get(4)).value()));
        assertEquals(Double.NEGATIVE_INFINITY, ((Expr.FloatLit) inits.get(5)).value());
        assertTrue(Double.isNaN(((Expr.FloatLit) inits.get(6)).value()));
        assertEquals(new Expr.BoolLit(true), inits.get(7));
        assertEquals(Double.MIN_VALUE, ((Expr.FloatLit) inits.get(8)).value());
    }

    @Test
    void handWrittenInfixFollowsCPrecedence() {
        LoopKernel k = LoopParser.parseKernel("""
                kernel @k(dim %N) grid(%N) block(1) {
                  decl i32 a = 1 + 2 * 3 - 4 % 3
                  decl bool b = a < 3 || a >= 2 && a != 5 == true
                  decl i32 c = (1 + 2) * -3
                }
                """);
        String printed = LoopPrinter.print(k);
        assertTrue(printed.contains("decl i32 a = (1 + (2 * 3)) - (4 % 3)"), printed);
        assertTrue(printed.contains("decl bool b = (a < 3) || ((a >= 2) && ((a != 5) == true))"), printed);
        assertTrue(printed.contains("decl i32 c = (1 + 2) * -3"), printed);
        assertEquals(printed, LoopPrinter.print(LoopParser.parseKernel(printed)));
    }

    @Test
    void variablesMayBeNamedLikeKeywordsAndFunctions() {
        String text = """
                kernel @k() grid(1) block(1) {
                  decl i32 else = 1
                  decl i32 to = 2
                  decl i32 step = 3
                  decl i32 decl = 4
                  decl i32 min = 5
                  decl f32 f32 = 1.0f
                  if (else < to) {
                    decl = min(min, step)
                  }
                  else = 2
                  for i32 store = to to step step step {
                    f32 = f32(store)
                  }
                }
                """;
        LoopKernel k = LoopParser.parseKernel(text);
        assertEquals(text, LoopPrinter.print(k));
        assertEquals(9, k.body().size());
        assertTrue(((Stmt.If) k.body().get(6)).otherwise().isEmpty());
    }

    @Test
    void shadowingResolvesToTheInnermostDeclaration() {
        LoopKernel k = LoopParser.parseKernel("""
                kernel @k() grid(1) block(1) {
                  decl i32 a = 1
                  if (true) {
                    decl f32 a = 2.0f
                    a = a * 2.0f
                  }
                  a = a + 1
                }
                """);
        Stmt.If inner = (Stmt.If) k.body().get(1);
        assertEquals(LType.F32, ((Stmt.Assign) inner.then().get(1)).var().type());
        assertEquals(LType.I32, ((Stmt.Assign) k.body().get(2)).var().type());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            decl i32 a = b                   | 3 | 16 | use of undeclared variable 'b'
            decl i32 a = %M                  | 3 | 16 | '%M' is not a dimension parameter of this kernel
            decl f32 a = %y[0]               | 3 | 16 | '%y' is not a buffer parameter or local array
            decl f32 a = foo(1)              | 3 | 16 | unknown function 'foo'
            decl f32 a = exp(1.0f, 2.0f)     | 3 | 16 | exp takes 1 argument, not 2
            decl i32 a = local_id(3)         | 3 | 25 | local_id takes a launch dimension 0, 1 or 2
            decl i32 a = - x                 | 3 | 16 | '-' must precede a number
            decl i33 a = 1                   | 3 | 8  | expected a type (bool, i32, i64, f32, f64)
            decl i32 a = 99999999999999999999 | 3 | 16 | integer literal '99999999999999999999' out of range
            decl f32 a = 1.5g                | 3 | 16 | bad number '1.5g'
            decl i32 a = (1 + 2              | 4 | 1  | expected ')' but found '}'
            store %q[0] = 1.0f               | 3 | 9  | '%q' is not a buffer parameter or local array
            for i32 i = 0 until 4 step 1 { } | 3 | 17 | expected 'to' but found 'until'
            goto 4                           | 3 | 3  | expected a statement
            decl i32 a = 1 #                 | 3 | 18 | unexpected character '#'
            """)
    void malformedTextIsADiagnosticWithItsPosition(String line, int row, int col, String message) {
        String text = "kernel @k(global f32 %x, dim %N) local(f32 red[4]) grid(%N) block(1) {\n"
                + "  decl i32 x = 0\n  " + line + "\n}\n";
        CompileException e = assertThrows(CompileException.class, () -> LoopParser.parseKernel("k.loop", text));
        Diagnostic d = e.diagnostics().getFirst();
        assertTrue(d.message().contains(message), d.message());
        assertEquals(row, d.span().line(), d.message());
        assertEquals(col, d.span().column(), d.message());
    }

    @Test
    void headerErrors() {
        assertMessage("kernel @k() grid(1) block(1, 1) {}", "grid and block need the same number of dimensions");
        assertMessage("kernel @k() grid(1, 1, 1, 1) block(1, 1, 1, 1) {}", "grid and block need the same number");
        assertMessage("kernel @k(global f99 %x) grid(1) block(1) {}", "expected an element type");
        assertMessage("kernel @k(buffer f32 %x) grid(1) block(1) {}", "expected 'global' but found 'buffer'");
        assertMessage("kernel @k() grid(1) block(1)", "expected '{' but found end of input");
        assertMessage("kernel @k() grid(1) block(1) {} }", "expected end of input but found '}'");
        assertMessage("kernel @k() grid(1) block(1) {" + "if (true) {".repeat(300) + "}".repeat(301),
                "nesting deeper than 200");
        assertMessage("kernel @k() grid(1) block(1) { decl i32 a = " + "(".repeat(5000) + "1" + ")".repeat(5000) + " }",
                "nesting deeper than 200");
    }

    private static void assertMessage(String text, String message) {
        CompileException e = assertThrows(CompileException.class, () -> LoopParser.parseKernel(text));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    /** Random edits of valid text must parse or fail with a positioned diagnostic, never another exception. */
    @Test
    void mangledTextNeverThrowsAnythingButCompileException() {
        String base = LoopPrinter.print(new LoopModule(List.of(LoopFixtures.broadcastAdd(), LoopFixtures.rowReduce(32))))
                + LoopPrinter.print(new RandomLoopKernels(1).kernel()).replace("kernel @", "program @p() -> () {\nkernel @")
                + "}\n";
        LoopParser.parseModule(base);
        SplittableRandom r = new SplittableRandom(11);
        String alphabet = "%@[](){},:=-+*/<>!&|.0123456789fL \nabcdNx_";
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
                LoopModule m = LoopParser.parseModule(sb.toString());
                String printed = LoopPrinter.print(m);
                assertEquals(printed, LoopPrinter.print(LoopParser.parseModule(printed)));
            } catch (CompileException e) {
                assertTrue(e.diagnostics().getFirst().span().isKnown(), e.getMessage());
            } catch (RuntimeException e) {
                fail("input " + i + " threw " + e + " for:\n" + sb, e);
            }
        }
    }
}
