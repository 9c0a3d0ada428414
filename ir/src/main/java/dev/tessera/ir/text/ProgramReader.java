package dev.tessera.ir.text;

import dev.tessera.ir.BufferPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The entry points that tile and loop text share: a module, program or kernel read to the end of input, with a
 * record constructor's rejection turned into a diagnostic, and a program read as its head followed by kernels.
 *
 * @param <S> the level's parser state, one per input
 * @param <M> the level's module record
 * @param <P> the level's program record
 * @param <K> the level's kernel record
 * @param defaultFile the file name diagnostics carry when the caller gives none
 * @param open starts the level's parser on a cursor
 * @param kernel reads one kernel with that parser
 * @param program builds the level's program record
 * @param module builds the level's module record
 */
public record ProgramReader<S, M, P, K>(
        String defaultFile,
        Function<TokenCursor, S> open,
        Function<S, K> kernel,
        ProgramFactory<P, K> program,
        Function<List<P>, M> module) {

    /** Makes a program record from its name, buffer plan and kernels. */
    @FunctionalInterface
    public interface ProgramFactory<P, K> {
        P make(String name, BufferPlan plan, List<K> kernels);
    }

    public M parseModule(String text) {
        return parseModule(defaultFile, text);
    }

    public M parseModule(String file, String text) {
        return run(file, text, (c, s) -> {
            List<P> programs = new ArrayList<>();
            while (!c.atEnd()) {
                programs.add(program(c, s));
            }
            return module.apply(programs);
        });
    }

    public P parseProgram(String text) {
        return parseProgram(defaultFile, text);
    }

    public P parseProgram(String file, String text) {
        return run(file, text, this::program);
    }

    public K parseKernel(String text) {
        return parseKernel(defaultFile, text);
    }

    public K parseKernel(String file, String text) {
        return run(file, text, (c, s) -> kernel.apply(s));
    }

    /** Parses to the end of input; a record constructor's rejection becomes a diagnostic at the current token. */
    private <T> T run(String file, String text, BiFunction<TokenCursor, S, T> body) {
        TokenCursor c = new TokenCursor(file, text);
        S state = open.apply(c);
        try {
            T result = body.apply(c, state);
            if (!c.atEnd()) {
                throw c.expected("end of input");
            }
            return result;
        } catch (IllegalArgumentException e) {
            throw c.error(c.peek(), e.getMessage());
        }
    }

    private P program(TokenCursor c, S state) {
        PlanText.Head head = PlanText.parseHead(c);
        List<K> kernels = new ArrayList<>();
        while (!c.acceptPunct("}")) {
            if (!c.isWord("kernel")) {
                throw c.expected("'temp', 'view', 'kernel' or '}'");
            }
            kernels.add(kernel.apply(state));
        }
        return program.make(head.name(), head.plan(), kernels);
    }
}
