package org.elasticsearch.node;

import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.ClasspathPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsLoader;
import org.elasticsearch.plugins.PluginsService;

import java.util.Collection;

/**
 * An Elasticsearch node whose plugins are classes on the classpath (see {@link ClasspathPluginsService}).
 * Lives in this package because the {@link NodeConstruction} constructor and {@link NodeServiceProvider}
 * are package-private.
 */
public final class ClasspathNode extends Node {

    /** The environment comes from {@link InternalSettingsPreparer#prepareEnvironment}. */
    public ClasspathNode(Environment environment, Collection<Class<? extends Plugin>> pluginClasses) {
        super(NodeConstruction.prepareConstruction(
            environment,
            null,
            new ClasspathServiceProvider(pluginClasses),
            false));
    }

    /** The default registers a process-wide listener that can be set only once per JVM. */
    @Override
    protected void configureNodeAndClusterIdStateListener(ClusterService clusterService) {}

    private static final class ClasspathServiceProvider extends NodeServiceProvider {
        private final Collection<Class<? extends Plugin>> pluginClasses;

        ClasspathServiceProvider(Collection<Class<? extends Plugin>> pluginClasses) {
            this.pluginClasses = pluginClasses;
        }

        @Override
        PluginsService newPluginService(Environment environment, PluginsLoader pluginsLoader) {
            return new ClasspathPluginsService(environment, pluginClasses);
        }
    }
}
