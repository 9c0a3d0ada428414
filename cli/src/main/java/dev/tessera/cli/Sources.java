package dev.tessera.cli;

import dev.tessera.ir.CompileException;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Reads source files for the commands and remembers their text so that diagnostics can quote it. */
final class Sources {

    private static final Map<String, String> TEXTS = new ConcurrentHashMap<>();

    private Sources() {}

    static String read(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new UserError("'" + file + "' is a directory, not a .tsr file");
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            TEXTS.put(file.toString(), text);
            return text;
        } catch (NoSuchFileException e) {
            throw new UserError("cannot read '" + file + "': no such file");
        } catch (MalformedInputException e) {
            throw new UserError("cannot read '" + file + "': not UTF-8 text");
        } catch (IOException e) {
            throw new UserError("cannot read '" + file + "': " + e.getMessage());
        }
    }

    /** The source the first diagnostic points into, or empty when it points nowhere we read. */
    static String textOf(CompileException e) {
        if (e.diagnostics().isEmpty()) {
            return "";
        }
        return TEXTS.getOrDefault(e.diagnostics().getFirst().span().file(), "");
    }
}
