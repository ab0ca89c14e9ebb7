package io.vedetta.testkit.pod;

import io.vedetta.testkit.AgentArchive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent image's class-data sharing archive, made as the Dockerfile's runtime stage makes it: its
 * {@code RUN java -Xshare:dump ...} step run over the image's files at their image paths (the jar at
 * {@code /opt/vedetta/vedetta-agent.jar}, the JDK at {@code /opt/java/openjdk}), in a root of its own (this machine's
 * file system under an overlay, in a private mount namespace), because JDK 17 accepts an archive only for the jar at
 * the path it was dumped with. The archive is kept beside the jar ({@code vedetta-agent.image.jsa}) and dumped again
 * when the jar, the class list or the Dockerfile is newer.
 */
final class ImageArchive {

    private static final Pattern ARCHIVE_OPTION = Pattern.compile("-XX:SharedArchiveFile=(\\S+)");

    private ImageArchive() {
    }

    /** Whether {@code run} (a RUN instruction's command) is the step that dumps the archive. */
    static boolean dumps(String run) {
        return run.contains("-Xshare:dump");
    }

    /** The image path the step writes the archive to. */
    static String imagePath(String run) {
        Matcher m = ARCHIVE_OPTION.matcher(run);
        if (!m.find()) {
            throw new IllegalStateException("the Dockerfile's -Xshare:dump step names no -XX:SharedArchiveFile: " + run);
        }
        return m.group(1);
    }

    /**
     * The archive the step {@code run} makes over {@code files} (image path to this machine's path, the image's
     * other files), with the image's {@code PATH}; {@code inputs} are the files whose change makes it stale.
     */
    static synchronized Path dump(String run, Map<String, Path> files, String path, Path beside, List<Path> inputs) {
        Path archive = beside.resolveSibling(beside.getFileName().toString().replaceFirst("\\.jar$", "") + ".image.jsa");
        try {
            if (Files.isRegularFile(archive) && newerThanAll(Files.getLastModifiedTime(archive), inputs)) {
                return archive;
            }
            Path work = Files.createTempDirectory(archive.getParent(), "image-archive");
            Path partial = work.resolve("archive.jsa");
            try {
                StringBuilder s = new StringBuilder("set -e\n");
                s.append("mount -t tmpfs -o mode=0755 vedetta-image-layer ").append(q(work + "/layer")).append('\n');
                s.append("L=").append(q(work + "/layer")).append("; R=").append(q(work + "/root")).append('\n');
                s.append("mkdir \"$L/upper\" \"$L/work\"\n");
                s.append("mount -t overlay -o \"lowerdir=/,upperdir=$L/upper,workdir=$L/work\" vedetta-image-root \"$R\"\n");
                files.forEach((imagePath, source) -> {
                    String target = "\"$R\"" + q(LaunchScript.inRoot(imagePath));
                    s.append(Files.isDirectory(source) ? "mkdir -p " + target
                            : "mkdir -p \"$(dirname " + target + ")\" && touch " + target).append('\n');
                    s.append("mount --rbind ").append(q(source.toString())).append(' ').append(target).append('\n');
                });
                s.append("mount --rbind /proc \"$R/proc\"\nmount --rbind /dev \"$R/dev\"\n");
                s.append("chroot \"$R\" env -i PATH=").append(q(path)).append(" sh -c ").append(q(run)).append('\n');
                s.append("cp \"$R\"").append(q(imagePath(run))).append(' ').append(q(partial.toString())).append('\n');
                Files.createDirectories(work.resolve("layer"));
                Files.createDirectories(work.resolve("root"));
                AgentArchive.dump(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", s.toString()),
                        archive.resolveSibling(archive.getFileName() + ".log"));
                Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                for (String leftover : List.of("archive.jsa", "layer", "root")) {
                    Files.deleteIfExists(work.resolve(leftover));
                }
                Files.deleteIfExists(work);
            }
            return archive;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the image's class-data sharing archive " + archive, e);
        }
    }

    private static boolean newerThanAll(FileTime time, List<Path> inputs) throws IOException {
        for (Path input : inputs) {
            if (time.compareTo(Files.getLastModifiedTime(input)) <= 0) {
                return false;
            }
        }
        return true;
    }

    private static String q(String text) {
        return LaunchScript.q(text);
    }
}
