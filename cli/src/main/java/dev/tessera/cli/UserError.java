package dev.tessera.cli;

/** A mistake by the user outside any source file (a missing file, a bad --shape): one line, exit 1. */
final class UserError extends RuntimeException {
    UserError(String message) {
        super(message);
    }
}
