package io.vedetta.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Gives test methods and {@code @BeforeAll} methods one {@link ElasticsearchProcess} per test run: the
 * node starts on first use, lives in the root context's store, and JUnit closes it (stops the node,
 * deletes its home) when the run ends. Use with {@code @ExtendWith(SharedElasticsearch.class)} and a
 * parameter of type {@code ElasticsearchProcess}. A test that stops or kills the node should restart
 * it; if it does not, the next class to ask gets it restarted.
 */
public final class SharedElasticsearch implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedElasticsearch.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ElasticsearchProcess.class;
    }

    @Override
    public ElasticsearchProcess resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ElasticsearchProcess node = context.getRoot().getStore(NAMESPACE)
            .getOrComputeIfAbsent(ElasticsearchProcess.class, key -> startNode(), ElasticsearchProcess.class);
        if (!node.isRunning()) {
            node.restart();
        }
        return node;
    }

    private static ElasticsearchProcess startNode() {
        try {
            return ElasticsearchProcess.start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting the shared Elasticsearch node failed", e);
        }
    }
}
