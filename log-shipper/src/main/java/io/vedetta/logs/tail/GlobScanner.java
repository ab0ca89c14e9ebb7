package io.vedetta.logs.tail;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists the files matching the include globs and none of the exclude globs. Each glob is walked from its
 * longest wildcard-free prefix, only as deep as it has segments, so {@code /var/log/containers/*.log} costs one
 * directory listing. The directories walked are reported so they can be watched.
 */
final class GlobScanner {

    private final List<Glob> includes;
    private final List<PathMatcher> excludes;

    GlobScanner(List<String> includeGlobs, List<String> excludeGlobs) {
        includes = includeGlobs.stream().map(Glob::parse).toList();
        excludes = excludeGlobs.stream().map(g -> matcher(absolute(g))).toList();
    }

    /** Matching paths as the globs name them (a symlink stays a symlink) and the directories visited. */
    record Result(Set<Path> files, Set<Path> directories) {
    }

    Result scan() {
        Set<Path> files = new LinkedHashSet<>();
        Set<Path> directories = new LinkedHashSet<>();
        for (Glob glob : includes) {
            if (!Files.isDirectory(glob.root)) {
                continue;
            }
            try {
                Files.walkFileTree(glob.root, EnumSet.noneOf(java.nio.file.FileVisitOption.class), glob.depth,
                        new SimpleFileVisitor<>() {
                            @Override
                            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                                directories.add(dir);
                                return FileVisitResult.CONTINUE;
                            }

                            @Override
                            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                                // Not only regular files: what is not one is refused when opened, and counted.
                                if (glob.matcher.matches(file) && !excluded(file) && Files.exists(file)
                                        && !Files.isDirectory(file)) {
                                    files.add(file);
                                }
                                return FileVisitResult.CONTINUE;
                            }

                            @Override
                            public FileVisitResult visitFileFailed(Path file, IOException e) {
                                // Pods come and go while we walk: a vanished entry is not an error.
                                return FileVisitResult.CONTINUE;
                            }
                        });
            } catch (IOException e) {
                // walkFileTree only throws for the root, which can vanish between the check and the walk.
                continue;
            }
        }
        return new Result(Collections.unmodifiableSet(files), Collections.unmodifiableSet(directories));
    }

    /** The directory {@code glob} is walked from: its longest wildcard-free prefix. */
    static Path root(String glob) {
        return Glob.parse(glob).root();
    }

    private boolean excluded(Path file) {
        for (PathMatcher m : excludes) {
            if (m.matches(file)) {
                return true;
            }
        }
        return false;
    }

    private static String absolute(String glob) {
        return glob.startsWith("/") ? glob : Path.of("").toAbsolutePath() + "/" + glob;
    }

    private static PathMatcher matcher(String glob) {
        return FileSystems.getDefault().getPathMatcher("glob:" + glob);
    }

    private record Glob(Path root, int depth, PathMatcher matcher) {

        static Glob parse(String raw) {
            String glob = absolute(raw);
            String[] segments = glob.substring(1).split("/");
            List<String> fixed = new ArrayList<>();
            int i = 0;
            while (i < segments.length && !hasWildcard(segments[i])) {
                fixed.add(segments[i]);
                i++;
            }
            boolean recursive = false;
            for (int j = i; j < segments.length; j++) {
                recursive |= segments[j].contains("**");
            }
            int depth = recursive ? Integer.MAX_VALUE : segments.length - i;
            Path root = Path.of("/" + String.join("/", fixed));
            if (i == segments.length) {
                // No wildcard at all: the glob names one file, walked from its directory.
                root = root.getParent() == null ? root : root.getParent();
                depth = 1;
            }
            return new Glob(root, depth, GlobScanner.matcher(glob));
        }

        private static boolean hasWildcard(String segment) {
            return segment.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{' || c == '\\');
        }
    }
}
