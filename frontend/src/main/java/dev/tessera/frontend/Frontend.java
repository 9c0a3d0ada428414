package dev.tessera.frontend;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.SourceSpan;
import dev.tessera.ir.graph.GraphModule;
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
        if (diags.hasErrors() || module == null) {
            throw new CompileException(diags.sorted());
        }
        return module;
    }

    private static SourceSpan fileOnly(String fileName) {
        return new SourceSpan(fileName, 0, 0, 0, 0);
    }
}
