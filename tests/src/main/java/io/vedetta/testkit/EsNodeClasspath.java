package io.vedetta.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The classpath of the es-node module's launcher: its own classes directory or jar, followed by the
 * dependency list that module writes at build time (maven-dependency-plugin {@code build-classpath}).
 * Found through that list, which the tests module sees as a resource because it depends on es-node
 * (without its transitive jars).
 */
final class EsNodeClasspath {

    static final String LIST_RESOURCE = "io/vedetta/esnode/runtime-classpath.txt";

    private EsNodeClasspath() {}

    static String resolve() {
        URL list = EsNodeClasspath.class.getClassLoader().getResource(LIST_RESOURCE);
        if (list == null) {
            throw new IllegalStateException(LIST_RESOURCE + " is not on the classpath; build module es-node first "
                + "(mvn -pl tests -am test builds it)");
        }
        List<String> entries = new ArrayList<>();
        entries.add(moduleRoot(list).toString());
        try (InputStream in = list.openStream()) {
            String dependencies = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            entries.addAll(List.of(dependencies.split(File.pathSeparator)));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + list, e);
        }
        List<String> missing = entries.stream().filter(entry -> !Files.exists(Path.of(entry))).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("es-node classpath entries are missing (resolve the module's dependencies "
                + "with Maven): " + missing);
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The classes directory or jar holding the resource: .../classes/io/vedetta/esnode/x.txt or jar:file:x.jar!/... */
    private static Path moduleRoot(URL list) {
        try {
            if ("jar".equals(list.getProtocol())) {
                return Path.of(((JarURLConnection) list.openConnection()).getJarFileURL().toURI());
            }
            Path resource = Path.of(list.toURI());
            return resource.getParent().getParent().getParent().getParent();
        } catch (IOException e) {
            throw new UncheckedIOException("locating " + list, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("locating " + list, e);
        }
    }
}
