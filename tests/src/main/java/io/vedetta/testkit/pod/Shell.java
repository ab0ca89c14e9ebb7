package io.vedetta.testkit.pod;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The host tools the runner drives (ip, mount, umount): run to completion, failing with what they printed. */
final class Shell {

    private Shell() {
    }

    static String run(String... command) {
        return run(List.of(command));
    }

    static String run(List<String> command) {
        Result result = attempt(command);
        if (result.exit != 0) {
            throw new PodStartException("`" + String.join(" ", command) + "` exited " + result.exit + ": "
                    + result.output.strip() + hint(command.get(0)));
        }
        return result.output;
    }

    /** Runs {@code command}, returning its exit code and output without judging them (cleanup, probes of the host). */
    static Result attempt(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, output + " (killed after 60 s)");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, "cannot run " + command.get(0) + ": " + e.getMessage() + hint(command.get(0)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    static Result attempt(String... command) {
        return attempt(new ArrayList<>(List.of(command)));
    }

    private static String hint(String tool) {
        return switch (tool) {
            case "ip" -> " (iproute2; scripts/lib.sh ensure_packages installs it; the runner needs root)";
            case "mount", "umount", "unshare", "nsenter", "setpriv" -> " (util-linux; the runner needs root)";
            default -> "";
        };
    }

    record Result(int exit, String output) {
    }
}
