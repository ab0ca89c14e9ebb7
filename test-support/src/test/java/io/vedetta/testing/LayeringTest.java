package io.vedetta.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

class LayeringTest {

    private static final String FIXTURE = "io.vedetta.testing.fixture";

    private static JavaClasses classes(String fixture) {
        return new ClassFileImporter().importPackages(FIXTURE + "." + fixture);
    }

    private static Layering lowThenHigh(String fixture) {
        return Layering.of(FIXTURE + "." + fixture)
                .layer("low", FIXTURE + "." + fixture + ".low..")
                .layer("high", FIXTURE + "." + fixture + ".high..");
    }

    @Test
    void acceptsDependenciesThatPointDown() {
        assertDoesNotThrow(() -> lowThenHigh("down").check(classes("down")));
    }

    @Test
    void namesTheClassThatUsesALayerAboveIt() {
        AssertionError e = assertThrows(AssertionError.class, () -> lowThenHigh("up").check(classes("up")));
        assertTrue(e.getMessage().contains("layer low uses no layer above it"), e.getMessage());
        assertTrue(e.getMessage().contains("fixture.up.low.Low") && e.getMessage().contains("fixture.up.high.High"),
                e.getMessage());
    }

    @Test
    void refusesAPackageCycleEvenWithinOneLayer() {
        Layering oneLayer = Layering.of(FIXTURE + ".cycle").layer("both", FIXTURE + ".cycle..");
        AssertionError e = assertThrows(AssertionError.class, () -> oneLayer.check(classes("cycle")));
        assertTrue(e.getMessage().contains("no package cycles") && e.getMessage().contains("fixture.cycle.a.A"),
                e.getMessage());
    }

    @Test
    void refusesAPackageInNoLayer() {
        Layering onlyLow = Layering.of(FIXTURE + ".down").layer("low", FIXTURE + ".down.low..");
        AssertionError e = assertThrows(AssertionError.class, () -> onlyLow.check(classes("down")));
        assertTrue(e.getMessage().contains("fixture.down.high.Top"), e.getMessage());
    }

    @Test
    void refusesALeafThatUsesAnotherPackage() {
        Layering leafLow = Layering.of(FIXTURE + ".up").leaves(FIXTURE + ".up.low..")
                .layer("high", FIXTURE + ".up.high..");
        AssertionError e = assertThrows(AssertionError.class, () -> leafLow.check(classes("up")));
        assertTrue(e.getMessage().contains("is a leaf") && e.getMessage().contains("fixture.up.low.Low"),
                e.getMessage());
    }

    @Test
    void refusesAForbiddenDependency() {
        Layering forbidding = Layering.of(FIXTURE + ".down")
                .layer("low", FIXTURE + ".down.low..")
                .layer("high", FIXTURE + ".down.high..")
                .forbid("top keeps off base", FIXTURE + ".down.high..", FIXTURE + ".down.low..");
        AssertionError e = assertThrows(AssertionError.class, () -> forbidding.check(classes("down")));
        assertTrue(e.getMessage().contains("top keeps off base") && e.getMessage().contains("Top"), e.getMessage());
    }
}
