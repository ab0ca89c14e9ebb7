package io.vedetta.secrets;

import java.io.IOException;
import java.nio.file.Path;

/** What the owner of a re-read file hears: each time it changed, and each failed re-read (the last value stays). */
public interface Rereads {

    /** {@code file} ({@code setting}) was read again and its content changed; {@code trigger} says why it was read. */
    void changed(String setting, Path file, String trigger);

    /** {@code file} ({@code setting}) could not be read again; the last good content is still used. */
    void failed(String setting, Path file, IOException cause);
}
