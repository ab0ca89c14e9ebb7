package io.vedetta.testing;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A module's packages in layers, bottom first, and the check that its classes keep to them: a package may use its
 * own layer and those below, never one above; no package cycles at all; every package in some layer, so a new one
 * is placed on purpose. Packages are written as ArchUnit package identifiers ({@code io.vedetta.logs.sink..} is the
 * package and those under it, {@code io.vedetta.agent} that package alone). A failure lists every offending
 * dependency with its class and source line.
 */
public final class Layering {

    private record Layer(String name, String[] packages) {
    }

    private record Rule(String why, ArchRule rule) {
    }

    private final String root;
    private final List<Layer> layers = new ArrayList<>();
    private final List<Rule> extra = new ArrayList<>();

    private Layering(String root) {
        this.root = root;
    }

    /** The layering of the packages under {@code root} (e.g. {@code io.vedetta}). */
    public static Layering of(String root) {
        return new Layering(root);
    }

    /** Packages that use no other package under the root: the shared primitives. They form the bottom layer. */
    public Layering leaves(String... packages) {
        for (String p : packages) {
            extra.add(new Rule(p + " is a leaf", noClasses().that().resideInAPackage(p)
                    .should().dependOnClassesThat(resideInAnyPackage(root + "..").and(not(resideInAnyPackage(p))))));
        }
        return layer("leaves", packages);
    }

    /** The next layer up. */
    public Layering layer(String name, String... packages) {
        layers.add(new Layer(name, packages.clone()));
        return this;
    }

    /** A dependency the layers alone would allow but this module forbids. */
    public Layering forbid(String why, String from, String... to) {
        extra.add(new Rule(why, noClasses().that().resideInAPackage(from).should().dependOnClassesThat()
                .resideInAnyPackage(to)));
        return this;
    }

    /**
     * The production classes of the module whose tests run (Maven runs them in the module's directory): its own
     * {@code target/classes}, not the modules it depends on, nor its tests.
     */
    public JavaClasses mainClasses() {
        Path classes = Path.of("target", "classes");
        if (!Files.isDirectory(classes)) {
            throw new AssertionError(classes.toAbsolutePath() + " does not exist: run this test through Maven, "
                    + "in the module's directory, after compiling");
        }
        return new ClassFileImporter().importPath(classes);
    }

    /** Throws an {@link AssertionError} naming every offending class when {@code classes} break the layering. */
    public void check(JavaClasses classes) {
        List<String> failures = new ArrayList<>();
        for (Rule rule : rules()) {
            EvaluationResult result = rule.rule().allowEmptyShould(false).evaluate(classes);
            if (result.hasViolation()) {
                failures.add(rule.why() + ":\n  " + String.join("\n  ", result.getFailureReport().getDetails()));
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("the package layering is broken (layers bottom first: " + describe() + ")\n"
                    + String.join("\n", failures));
        }
    }

    private List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        rules.add(new Rule("no package cycles", slices().matching(root + ".(**)").should().beFreeOfCycles()));
        List<String> all = new ArrayList<>();
        layers.forEach(l -> all.addAll(Arrays.asList(l.packages())));
        rules.add(new Rule("every package belongs to a layer (add a new one to the layering)",
                classes().should().resideInAnyPackage(all.toArray(String[]::new))));
        for (int i = 0; i < layers.size() - 1; i++) {
            List<String> above = new ArrayList<>();
            layers.subList(i + 1, layers.size()).forEach(l -> above.addAll(Arrays.asList(l.packages())));
            Layer layer = layers.get(i);
            rules.add(new Rule("layer " + layer.name() + " uses no layer above it",
                    noClasses().that().resideInAnyPackage(layer.packages())
                            .should().dependOnClassesThat().resideInAnyPackage(above.toArray(String[]::new))));
        }
        rules.addAll(extra);
        return rules;
    }

    private String describe() {
        List<String> names = new ArrayList<>();
        layers.forEach(l -> names.add(l.name()));
        return String.join(" < ", names);
    }
}
