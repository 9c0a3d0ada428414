package dev.tessera.frontend;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.graph.GraphKernel;
import dev.tessera.ir.graph.GraphModule;
import dev.tessera.ir.graph.Instr;
import java.util.Objects;

/**
 * The frontend's entry point: DSL source text in, graph IR out, or a {@link CompileException} holding every
 * diagnostic found.
 *
 * <p>The pipeline: {@link SourceParser} lexes, splits the file at each {@code kernel} and parses the pieces (the
 * first syntax error of a kernel is reported, the other kernels still count); {@link AstBuilder} makes the AST;
 * {@link ModuleChecker} type-checks each kernel and lowers it, inlining calls. A call's name means the builtin of
 * that name when there is one, else a kernel of the file.
 */
public final class Frontend {

    private Frontend() {}

    /**
     * Compiles one file.
     *
     * @param fileName the name diagnostics and source spans carry
     * @throws CompileException with all errors found, for any input that is not a valid program
     */
    public static GraphModule compile(String fileName, String source) {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(source, "source");
        Diags.Collector diags = new Diags.Collector();
        GraphModule module = null;
        try {
            SourceParser.Parsed parsed = SourceParser.parse(fileName, source, diags);
            module = new GraphModule(new ModuleChecker(parsed.unparsedNames(), diags).run(parsed.kernels()));
        } catch (StackOverflowError e) {
            diags.error(fileOnly(fileName), "the program is nested too deeply to compile");
        } catch (RuntimeException e) {
            // a bug of ours; the user still gets a diagnostic rather than a stack trace
            diags.error(fileOnly(fileName), "internal compiler error: " + e);
        }
        if (module != null) {
            checkDimsBound(module, diags);
        }
        if (diags.hasErrors() || module == null) {
            throw new CompileException(diags.sorted());
        }
        return module;
    }

    /**
     * Symbolic dims are bound from the inputs' shapes at launch, so a dim that only a {@code shape=} list
     * introduces could never be given a value.
     */
    private static void checkDimsBound(GraphModule module, Diags.Collector diags) {
        for (GraphKernel k : module.kernels()) {
            java.util.Set<String> bound = new java.util.HashSet<>();
            k.params().forEach(p -> bound.addAll(p.type().shape().symbols()));
            java.util.Set<String> reported = new java.util.HashSet<>();
            for (Instr i : k.body()) {
                for (String s : i.result().type().shape().symbols()) {
                    if (!bound.contains(s) && reported.add(s)) {
                        diags.error(i.span(), "dim " + s + " is not the extent of any parameter of kernel '"
                                + k.name() + "', so nothing binds it at launch");
                    }
                }
            }
        }
    }

    private static SourceSpan fileOnly(String fileName) {
        return new SourceSpan(fileName, 0, 0, 0, 0);
    }
}
