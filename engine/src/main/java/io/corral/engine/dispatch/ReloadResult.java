package io.corral.engine.dispatch;

/**
 * The outcome of {@link Dispatcher#reload()}.
 *
 * @param error    null on success, else one line naming the file, line and bad token (the previous sets stay).
 * @param version  the version of the sets in force afterwards.
 * @param backends backends in force afterwards.
 * @param sets     sets in force afterwards.
 * @param routes   routing rules in force afterwards.
 */
public record ReloadResult(String error, long version, int backends, int sets, int routes)
{
    /**
     * @return true if the file was loaded.
     */
    public boolean isOk()
    {
        return error == null;
    }

    /**
     * @return one line for a log or {@code corral-ctl reload}.
     */
    public String describe()
    {
        return isOk() ?
            "backends loaded: version " + version + ", " + backends + " backends, " + sets + " sets, " + routes +
            " routes" :
            "backends reload failed, keeping version " + version + ": " + error;
    }
}
