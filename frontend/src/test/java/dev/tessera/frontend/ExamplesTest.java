package dev.tessera.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.ir.DType;
import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.graph.Instr;
import dev.tessera.ir.graph.Op;
import dev.tessera.ir.graph.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example of the repository compiles to well-formed graph IR with the declared result types. */
class ExamplesTest {

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("..", "examples"))) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".tsr")).sorted().toList();
            assertFalse(files.isEmpty(), "no examples found");
            return files.stream();
        }
    }

    static GraphModule compile(String name) throws IOException {
        Path p = Path.of("..", "examples", name);
        return Frontend.compile(name, Files.readString(p));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void compilesToWellFormedIr(Path file) throws IOException {
        GraphModule m = Frontend.compile(file.getFileName().toString(), Files.readString(file));
        assertFalse(m.kernels().isEmpty());
        for (GraphKernel k : m.kernels()) {
            assertWellFormed(k, file.getFileName().toString());
        }
    }

    /** SSA: unique names, operands defined before use, results defined, spans inside the file. */
    static void assertWellFormed(GraphKernel k, String file) {
        Set<Value> defined = new HashSet<>(k.params());
        Set<String> names = new HashSet<>();
        k.params().forEach(p -> assertTrue(names.add(p.name()), "duplicate " + p));
        for (Instr i : k.body()) {
            for (Value operand : i.op().operands()) {
                assertTrue(defined.contains(operand), operand + " used before definition in " + k.name());
            }
            assertTrue(names.add(i.result().name()), "duplicate value name " + i.result());
            defined.add(i.result());
            SourceSpan s = i.span();
            assertEquals(file, s.file());
            assertTrue(s.line() >= 1 && s.column() >= 1 && s.endColumn() >= s.column() || s.endLine() > s.line(),
                    "bad span " + s + " of " + i.result());
            assertTrue(i.op() instanceof Op.Constant == i.op().operands().isEmpty());
        }
        k.results().forEach(r -> assertTrue(defined.contains(r), "undefined result " + r));
        assertTrue(k.fusions().isEmpty());
    }

    @Test
    void resultTypes() throws IOException {
        assertEquals("f32[N, D]", compile("softmax.tsr").kernel("softmax").orElseThrow().results().getFirst()
                .type().toString());
        assertEquals("f32[S, H]", compile("attention.tsr").kernel("attention").orElseThrow().results().getFirst()
                .type().toString());
        assertEquals("f32[M, N]", compile("linear_bias_relu.tsr").kernels().getFirst().results().getFirst()
                .type().toString());
        assertEquals("f32[N]", compile("axpy.tsr").kernels().getFirst().results().getFirst().type().toString());
        assertEquals(2, compile("gelu.tsr").kernels().size());
    }

    @Test
    void attentionInlinesSoftmaxWithItsDimsUnified() throws IOException {
        GraphKernel k = compile("attention.tsr").kernel("attention").orElseThrow();
        Instr m = Compile.instr(k, "softmax.m");
        assertEquals("f32[S, 1]", m.result().type().toString());
        assertEquals("f32[S, T]", Compile.instr(k, "softmax.e").result().type().toString());
        Instr transpose = k.body().getFirst();
        assertEquals(new Op.Transpose(k.params().get(1), List.of(1, 0)), transpose.op());
        // the inlined body keeps the spans of the callee, where the code is written
        assertEquals(7, m.span().line());
    }

    @Test
    void geluKernelCallsTheBuiltinNotItself() throws IOException {
        GraphKernel k = compile("gelu.tsr").kernel("gelu").orElseThrow();
        assertEquals(1, k.body().size());
        assertTrue(k.body().getFirst().op() instanceof Op.Unary u && u.op() == dev.tessera.ir.UnaryOp.GELU);
    }

    @Test
    void layernormNamesItsLets() throws IOException {
        GraphKernel k = compile("layernorm.tsr").kernels().getFirst();
        Instr mu = Compile.instr(k, "mu");
        assertEquals(new Op.Reduce(dev.tessera.ir.ReduceOp.MEAN, k.params().getFirst(), List.of(1), true), mu.op());
        assertEquals(new SourceSpan("layernorm.tsr", 3, 12, 3, 41), mu.span());
        Instr eps = k.body().stream().filter(i -> i.op() instanceof Op.Constant).findFirst().orElseThrow();
        assertEquals(DType.F32, eps.result().type().dtype());
        assertEquals(1e-5, ((Op.Constant) eps.op()).value());
    }
}
