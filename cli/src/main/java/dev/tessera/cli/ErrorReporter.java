package dev.tessera.cli;

import dev.tessera.ir.CompileException;
import dev.tessera.ir.DiagnosticRenderer;
import picocli.CommandLine;

/**
 * Turns exceptions from commands into messages and exit codes: diagnostics rendered with their source line
 * and a caret, one-line user errors, and for anything else an "internal error" line (the stack trace only
 * with TESSERA_DEBUG=1), never a raw stack trace for a user's mistake.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
        var err = cl.getErr();
        switch (ex) {
            case CompileException ce -> {
                err.print(new DiagnosticRenderer(Sources.textOf(ce)).renderAll(ce.diagnostics()));
                int n = ce.diagnostics().size();
                if (n > 1) {
                    err.println(n + " errors");
                }
                err.flush();
                return ExitCodes.USER_ERROR;
            }
            case UserError ue -> {
                err.println("tessera: error: " + ue.getMessage());
                err.flush();
                return ExitCodes.USER_ERROR;
            }
            default -> {
                err.println("tessera: internal error: " + ex);
                if (System.getenv("TESSERA_DEBUG") != null) {
                    ex.printStackTrace(err);
                } else {
                    err.println("(this is a bug in Tessera; run with TESSERA_DEBUG=1 for the stack trace)");
                }
                err.flush();
                return ExitCodes.INTERNAL;
            }
        }
    }
}
