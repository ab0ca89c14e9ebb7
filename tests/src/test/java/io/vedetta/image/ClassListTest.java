package io.vedetta.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vedetta.testkit.AgentArchive;
import io.vedetta.testkit.AgentProcess;
import io.vedetta.testkit.AlertingSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The class list the agent's class-data sharing archive is dumped from ({@link AgentArchive#CLASS_LIST}) names only
 * classes the packaged agent can load: its jar's, or the JDK's (an application archive replaces the JDK's own, so
 * the JDK classes the agent loads are in the list too). {@code -Xshare:dump} skips a class it cannot find with a
 * warning, so a refactor or a dependency upgrade would otherwise leave the archive quietly smaller; run
 * {@code scripts/class-list} and commit its output when this fails. The lambda entries (proxies of the agent's and
 * the libraries' lambdas, and the JDK's pre-generated method-handle forms) are kept: they name their classes too.
 */
class ClassListTest {

    private static List<String> lines;
    private static Set<String> jarClasses;

    @BeforeAll
    static void read() throws IOException {
        lines = Files.readAllLines(AlertingSetup.repo().resolve(AgentArchive.CLASS_LIST)).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        try (JarFile jar = new JarFile(AgentProcess.jar().toFile())) {
            jarClasses = jar.stream().map(e -> e.getName().replaceFirst("^META-INF/versions/\\d+/", ""))
                    .filter(name -> name.endsWith(".class")).map(name -> name.substring(0, name.length() - 6))
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void everyClassItNamesIsInTheJarOrTheJdk() {
        List<String> missing = new ArrayList<>();
        for (String line : lines) {
            String name = namedClass(line);
            if (!jarClasses.contains(name) && ClassLoader.getPlatformClassLoader().getResource(name + ".class") == null) {
                missing.add(line);
            }
        }
        assertEquals(List.of(), missing, "classes the list names but neither " + AgentProcess.jar()
                + " nor this JDK has: run scripts/class-list and commit " + AgentArchive.CLASS_LIST);
    }

    /**
     * JDK 17 relocates the archive at every start and so writes to all of it: a class only one configuration loads
     * would cost every other its share of the archive. The list holds what every configuration loads (the startup,
     * the HTTP endpoints, the metrics registry, logging, the configuration) and none of the classes of the Kubernetes
     * client or the cluster collector, which an agent with Kubernetes off never loads.
     */
    @Test
    void holdsTheClassesEveryConfigurationLoadsAndNoneOfKubernetesOnly() {
        Set<String> named = lines.stream().map(ClassListTest::namedClass).collect(Collectors.toSet());
        for (String part : List.of("io/vedetta/agent/Main", "io/vedetta/agent/config/", "io/vedetta/agent/http/",
                "io/prometheus/metrics/", "ch/qos/logback/", "java/util/concurrent/")) {
            assertTrue(named.stream().anyMatch(name -> name.startsWith(part)), "the class list has no class of " + part);
        }
        for (String part : List.of("io/fabric8/", "io/vedetta/agent/cluster/")) {
            assertTrue(named.stream().noneMatch(name -> name.startsWith(part)),
                    "the class list has classes of " + part + ", which an agent with Kubernetes off never loads");
        }
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("@lambda-proxy io/vedetta/")),
                "the class list has none of the agent's lambdas");
    }

    /**
     * The class a line names: the line itself for a class, the class whose lambda it is for {@code @lambda-proxy},
     * and the JDK's holder class for {@code @lambda-form-invoker}.
     */
    private static String namedClass(String line) {
        String[] words = line.split("\\s+");
        if (words[0].equals("@lambda-proxy")) {
            return words[1];
        }
        if (words[0].equals("@lambda-form-invoker")) {
            return words[2].replace('.', '/');
        }
        if (words[0].startsWith("@")) {
            throw new AssertionError("an entry this test does not know: " + line);
        }
        return words[0];
    }
}
