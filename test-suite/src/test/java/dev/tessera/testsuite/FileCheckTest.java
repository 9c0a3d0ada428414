package dev.tessera.testsuite;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Our FileCheck must itself fail when it should, or golden tests prove nothing. */
class FileCheckTest {

    private static String run(String checks, String output) {
        return FileCheck.check(FileCheck.directives(checks), output);
    }

    @Test
    void matchesInOrder() {
        assertNull(run("// CHECK: a\n// CHECK: c", "a\nb\nc\n"));
        assertNotNull(run("// CHECK: c\n// CHECK: a", "a\nb\nc\n"));
    }

    @Test
    void nextMustBeAdjacent() {
        assertNull(run("// CHECK: a\n// CHECK-NEXT: b", "a\nb\n"));
        assertNotNull(run("// CHECK: a\n// CHECK-NEXT: c", "a\nb\nc\n"));
    }

    @Test
    void notBetweenMatches() {
        assertNull(run("// CHECK: a\n// CHECK-NOT: x\n// CHECK: c", "a\nb\nc\nx\n"));
        assertNotNull(run("// CHECK: a\n// CHECK-NOT: b\n// CHECK: c", "a\nb\nc\n"));
        assertNotNull(run("// CHECK: a\n// CHECK-NOT: x", "a\nb\nx\n"));
    }

    @Test
    void regexBlocks() {
        assertNull(run("// CHECK: %{{[0-9]+}} = exp", "  %12 = exp %x"));
        assertNotNull(run("// CHECK: %{{[0-9]+}} = exp", "  %a = exp %x"));
    }
}
