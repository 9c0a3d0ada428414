package dev.tessera.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Tests the naming rules every backend shares: sanitising, kernel symbols, uniqueness, comment text. */
class GeneratedNamesTest {

    @Test
    void sanitisingKeepsOnlyIdentifierCharactersAndNoDoubleUnderscores() {
        assertEquals("a_b", GeneratedNames.sanitise("a__b"));
        assertEquals("x", GeneratedNames.sanitise("__x__"));
        assertEquals("na_ve_2", GeneratedNames.sanitise("naïve-2"));
        assertEquals("x", GeneratedNames.sanitise(""));
        assertEquals("x", GeneratedNames.sanitise("***"));
        assertEquals("x", GeneratedNames.sanitise("%%%"));
    }

    @Test
    void identifiersAreStablePerNameAndDistinctAcrossNames() {
        GeneratedNames names = new GeneratedNames();
        assertEquals("v_a_b", names.of("v_", "a_b"));
        assertEquals("v_a_b_2", names.of("v_", "a__b"));
        assertEquals("v_a_b_2_2", names.of("v_", "a_b_2"));
        assertEquals("v_a_b", names.of("v_", "a_b"), "the same name keeps its identifier");
        assertEquals("d_a_b", names.of("d_", "a_b"), "namespaces do not collide");
    }

    @Test
    void kernelSymbolsAreDistinctEvenWhenNamesSanitiseAlike() {
        String clean = GeneratedNames.kernelSymbol("a_b");
        String dotted = GeneratedNames.kernelSymbol("a.b");
        String doubled = GeneratedNames.kernelSymbol("a__b");
        assertEquals("tsr_a_b", clean);
        assertTrue(dotted.matches("tsrx_a_b_[0-9a-f]{8}"), dotted);
        assertTrue(doubled.matches("tsrx_a_b_[0-9a-f]{8}"), doubled);
        assertEquals(3, Set.of(clean, dotted, doubled).size());
        assertEquals(GeneratedNames.kernelSymbol("a.b"), dotted, "symbols depend on the name alone");
    }

    @Test
    void commentTextIsPrintableAscii() {
        assertEquals("a b?c?\\", GeneratedNames.commentSafe("a b\nc\u00e9\\"));
    }
}
