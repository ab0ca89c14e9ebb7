package io.vedetta.rules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs promtool or amtool (Debian packages that scripts/test installs) and returns exit code and output. */
record Tool(int exitCode, String output) {

    static Tool run(Path workDir, String... command) {
        Path binary = Path.of("/usr/bin", command[0]);
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: install the Debian packages prometheus and"
                    + " prometheus-alertmanager (scripts/test does)");
        }
        List<String> args = new ArrayList<>(List.of(command));
        args.set(0, binary.toString());
        try {
            Process process = new ProcessBuilder(args).directory(workDir.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 120 s");
            }
            return new Tool(process.exitValue(), output);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
