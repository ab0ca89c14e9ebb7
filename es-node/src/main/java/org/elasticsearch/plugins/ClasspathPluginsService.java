package org.elasticsearch.plugins;

import org.elasticsearch.Build;
import org.elasticsearch.action.admin.cluster.node.info.PluginsAndModules;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads plugins from plugin classes already on the classpath instead of from a distribution's
 * {@code modules/} and {@code plugins/} directories, which the Maven Central jars do not come with.
 * Lives in this package because {@link PluginsLoader}'s constructor and {@link LoadedPlugin} are
 * package-private.
 */
public final class ClasspathPluginsService extends PluginsService {

    private final List<LoadedPlugin> plugins;

    public ClasspathPluginsService(Environment environment, Collection<Class<? extends Plugin>> pluginClasses) {
        super(environment.settings(), environment.configDir(), new PluginsLoader(Set.of(), Set.of(), Map.of()));
        Settings settings = environment.settings();
        this.plugins = pluginClasses.stream()
            .map(pluginClass -> new LoadedPlugin(
                descriptor(pluginClass),
                loadPlugin(pluginClass, settings, environment.configDir()),
                pluginClass.getClassLoader()))
            .toList();
    }

    private static PluginDescriptor descriptor(Class<? extends Plugin> pluginClass) {
        return new PluginDescriptor(
            pluginClass.getName(),
            "classpath plugin",
            "NA",
            Build.current().version(),
            Integer.toString(Runtime.version().feature()),
            pluginClass.getName(),
            null,
            List.of(),
            false,
            false,
            false,
            false);
    }

    @Override
    protected List<LoadedPlugin> plugins() {
        return plugins;
    }

    @Override
    public PluginsAndModules info() {
        return new PluginsAndModules(
            plugins.stream().map(LoadedPlugin::descriptor).map(PluginRuntimeInfo::new).toList(), List.of());
    }

    /**
     * All plugins share the application class loader, so the default lookup would find every
     * service provider (for example the server's own {@code FeatureSpecification}s) once per plugin,
     * and the node refuses duplicate features. Keep one instance per provider class.
     */
    @Override
    public <T> List<? extends T> loadServiceProviders(Class<T> service) {
        Map<Class<?>, T> byClass = new LinkedHashMap<>();
        for (T provider : super.loadServiceProviders(service)) {
            byClass.putIfAbsent(provider.getClass(), provider);
        }
        return List.copyOf(byClass.values());
    }
}
