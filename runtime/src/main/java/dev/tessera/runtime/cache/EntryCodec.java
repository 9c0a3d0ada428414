package dev.tessera.runtime.cache;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bytes of a cache entry file. A header says the format, the SHA-256 of the body and its length; the body
 * is a list of fields, each {@code NAME LENGTH\n} then LENGTH bytes of UTF-8 and a newline: the key
 * ({@code key.kind}, {@code key.FIELD}), the time written ({@code written}) and the payload
 * ({@code payload.NAME}). Lengths rather than delimiters, so that payloads (generated code) need no escaping;
 * a checksum, so that a torn or flipped file is detected rather than trusted.
 */
final class EntryCodec {

    static final String MAGIC = "tessera-cache-entry 1";

    /** A file that is not a complete, intact entry; why, for the warning. */
    static final class Corrupt extends Exception {
        Corrupt(String reason) {
            super(reason);
        }
    }

    private EntryCodec() {}

    static byte[] encode(CacheKey key, Map<String, String> payload, Instant written) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        field(body, "key.kind", key.kind());
        key.fields().forEach((k, v) -> field(body, "key." + k, v));
        field(body, "written", written.toString());
        payload.forEach((k, v) -> {
            if (!CacheKey.NAME.matcher(k).matches()) {
                throw new IllegalArgumentException("bad payload name '" + k + "'");
            }
            field(body, "payload." + k, v);
        });
        byte[] b = body.toByteArray();
        String header = MAGIC + "\nsha256 " + Sha256.hex(b) + "\nbytes " + b.length + "\n\n";
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        all.writeBytes(b);
        return all.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, String name, String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        out.writeBytes((name + " " + v.length + "\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(v);
        out.write('\n');
    }

    static CacheEntry decode(byte[] bytes, Path file) throws Corrupt {
        Cursor c = new Cursor(bytes);
        if (!c.line().equals(MAGIC)) {
            throw new Corrupt("not a Tessera cache entry (or an older format)");
        }
        String sum = c.word("sha256");
        long length = parseLength(c.word("bytes"));
        if (!c.line().isEmpty()) {
            throw new Corrupt("malformed header");
        }
        if (bytes.length - c.pos != length) {
            throw new Corrupt("truncated or padded: body of " + (bytes.length - c.pos) + " bytes, header says " + length);
        }
        byte[] body = Arrays.copyOfRange(bytes, c.pos, bytes.length);
        if (!Sha256.hex(body).equals(sum)) {
            throw new Corrupt("checksum mismatch");
        }
        Cursor b = new Cursor(body);
        String kind = null;
        Map<String, String> keyFields = new LinkedHashMap<>();
        Map<String, String> payload = new LinkedHashMap<>();
        Instant written = null;
        while (b.pos < body.length) {
            String head = b.line();
            int sp = head.indexOf(' ');
            if (sp < 1) {
                throw new Corrupt("malformed field header '" + head + "'");
            }
            String name = head.substring(0, sp);
            int n = (int) parseLength(head.substring(sp + 1));
            String value = b.text(n);
            if (name.equals("key.kind")) {
                kind = value;
            } else if (name.startsWith("key.")) {
                keyFields.put(name.substring(4), value);
            } else if (name.startsWith("payload.")) {
                payload.put(name.substring(8), value);
            } else if (name.equals("written")) {
                try {
                    written = Instant.parse(value);
                } catch (DateTimeException e) {
                    throw new Corrupt("bad time '" + value + "'");
                }
            } else {
                throw new Corrupt("unknown field '" + name + "'");
            }
        }
        if (kind == null || written == null) {
            throw new Corrupt("no key or no time");
        }
        try {
            return new CacheEntry(new CacheKey(kind, keyFields), payload, written, file);
        } catch (IllegalArgumentException e) {
            throw new Corrupt(e.getMessage());
        }
    }

    private static long parseLength(String s) throws Corrupt {
        try {
            long n = Long.parseLong(s);
            if (n < 0 || n > Integer.MAX_VALUE) {
                throw new Corrupt("bad length " + s);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new Corrupt("bad length '" + s + "'");
        }
    }

    /** Reads ASCII lines and length-prefixed UTF-8 texts, failing as {@link Corrupt} past the end. */
    private static final class Cursor {
        final byte[] b;
        int pos;

        Cursor(byte[] b) {
            this.b = b;
        }

        String line() throws Corrupt {
            int start = pos;
            while (pos < b.length && b[pos] != '\n') {
                if (pos - start > 4096) {
                    throw new Corrupt("line too long");
                }
                pos++;
            }
            if (pos >= b.length) {
                throw new Corrupt("ends in the middle of a line");
            }
            String s = new String(b, start, pos - start, StandardCharsets.US_ASCII);
            pos++;
            return s;
        }

        String word(String label) throws Corrupt {
            String l = line();
            if (!l.startsWith(label + " ")) {
                throw new Corrupt("expected '" + label + "' in the header");
            }
            return l.substring(label.length() + 1);
        }

        String text(int n) throws Corrupt {
            if (n > b.length - pos - 1 || b[pos + n] != '\n') {
                throw new Corrupt("field runs past the end");
            }
            try {
                String s = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(b, pos, n)).toString();
                pos += n + 1;
                return s;
            } catch (CharacterCodingException e) {
                throw new Corrupt("field is not UTF-8");
            }
        }
    }
}
