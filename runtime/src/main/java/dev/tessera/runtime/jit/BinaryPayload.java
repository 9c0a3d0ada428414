package dev.tessera.runtime.jit;

import dev.tessera.runtime.cache.Sha256;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * A device binary inside an artefact entry's payload: {@code binary-sha256}, the hex SHA-256 of the binary,
 * and {@code binary}, the binary in base64. The entry's own checksum already catches a damaged file; this one
 * makes sure that what reaches the driver is exactly what the driver gave, whoever edited the payload, since
 * drivers parse binaries with little checking: PoCL 3.1 refuses a binary with a wrong header but crashes the
 * process on a truncated one or one with bytes flipped inside.
 */
final class BinaryPayload {

    static final String BINARY = "binary";
    static final String SHA256 = "binary-sha256";
    /** Larger binaries are not kept: the entry would come near the cache's limit on an entry's size. */
    static final int MAX_BYTES = 16 << 20;

    /** A payload's binary that cannot be used; the message says why, for a warning. */
    static final class Damaged extends Exception {
        Damaged(String message) {
            super(message);
        }
    }

    private BinaryPayload() {}

    static void put(Map<String, String> payload, byte[] binary) {
        payload.put(SHA256, Sha256.hex(binary));
        payload.put(BINARY, Base64.getEncoder().encodeToString(binary));
    }

    /** The payload's binary, checked against its SHA-256; empty when it has none. */
    static Optional<byte[]> get(Map<String, String> payload) throws Damaged {
        String text = payload.get(BINARY);
        String sum = payload.get(SHA256);
        if (text == null && sum == null) {
            return Optional.empty();
        }
        if (text == null || sum == null) {
            throw new Damaged(text == null ? "it has a binary checksum but no binary" : "it has a binary but no checksum");
        }
        byte[] binary;
        try {
            binary = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new Damaged("its device binary is not valid base64 (" + e.getMessage() + ")");
        }
        if (!Sha256.hex(binary).equals(sum)) {
            throw new Damaged("its device binary is damaged (" + binary.length + " bytes whose SHA-256 is not the one"
                    + " recorded)");
        }
        return Optional.of(binary);
    }
}
