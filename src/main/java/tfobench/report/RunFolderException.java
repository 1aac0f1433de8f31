package tfobench.report;

import java.io.IOException;

/** A run folder that cannot be read as one: the message is one line naming the folder or file and the reason. */
public final class RunFolderException extends IOException {
    public RunFolderException(String message) {
        super(message);
    }
}
