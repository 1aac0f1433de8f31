package tfobench.cli;

/** Bad command-line input: printed as one line, exit status 2. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
