package dev.tessera.frontend;

import dev.tessera.ir.Diagnostic;
import dev.tessera.ir.SourceSpan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Where the frontend's checks put their diagnostics; every check reports and goes on, none throws. */
interface Diags {

    void report(Diagnostic d);

    default void error(SourceSpan span, String message) {
        report(Diagnostic.error(span, message));
    }

    /** Collects everything for one compilation. */
    final class Collector implements Diags {
        private final List<Diagnostic> all = new ArrayList<>();

        @Override
        public void report(Diagnostic d) {
            all.add(d);
        }

        boolean hasErrors() {
            return all.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
        }

        /** In source order, since kernels are checked in call order rather than file order. */
        List<Diagnostic> sorted() {
            return all.stream()
                    .sorted(Comparator.comparingInt((Diagnostic d) -> d.span().line())
                            .thenComparingInt(d -> d.span().column()))
                    .toList();
        }
    }

    /**
     * For the body of a kernel inlined into another: a callee that was fine on its own can still fail with the
     * caller's shapes, and the user must see that at the call, with where in the callee it went wrong.
     */
    record AtCall(Diags outer, SourceSpan call, String callee) implements Diags {
        @Override
        public void report(Diagnostic d) {
            List<String> notes = new ArrayList<>();
            notes.add("in the body of '" + callee + "' at " + d.span());
            notes.addAll(d.notes());
            outer.report(new Diagnostic(d.severity(), call,
                    "in call to '" + callee + "': " + d.message(), notes));
        }
    }
}
