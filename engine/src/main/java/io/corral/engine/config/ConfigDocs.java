package io.corral.engine.config;

/**
 * Renders {@code docs/configuration.md} from a {@link ConfigRegistry}, so the document cannot drift from the code.
 */
public final class ConfigDocs
{
    private ConfigDocs()
    {
    }

    /**
     * @param registry every key.
     * @return the Markdown document, LF line ends.
     */
    public static String render(final ConfigRegistry registry)
    {
        final StringBuilder out = new StringBuilder();
        out.append("# Configuration\n\n")
            .append("<!-- Generated from the *Configuration classes by ConfigDocsTest; do not edit by hand.\n")
            .append("     Regenerate: mvn -B -q -o test -pl engine -am -Dtest=ConfigDocsTest")
            .append(" -Dsurefire.failIfNoSpecifiedTests=false -Ddocs.write=true -->\n\n")
            .append("Every key has a built-in default. Precedence, lowest first: built-in defaults, the properties\n")
            .append("file named with `--config FILE`, `-Dcorral.key=value` arguments (every launcher in `bin/` takes\n")
            .append("both anywhere on its command line). An invalid value, an unknown `corral.*` key or a missing\n")
            .append("config file stops start-up with one line naming the key, the value and what is allowed\n")
            .append("(exit status 2).\n")
            .append("`bin/corral --print-config` prints the effective value of every key and where it came from.\n\n")
            .append("Shipped profiles: `config/corral.properties` (small machines: shared thread, backoff idle) and\n")
            .append("`config/low-latency.properties` (dedicated threads, busy-spin, pinning).\n\n")
            .append("| key | default | allowed | meaning |\n")
            .append("|---|---|---|---|\n");
        for (final ConfigKey key : registry.keys())
        {
            out.append("| `").append(key.name()).append("` | ")
                .append(key.defaultValue().isEmpty() ? "(empty)" : "`" + key.defaultValue() + "`").append(" | ")
                .append(key.type().expected().replace("|", "\\|")).append(" | ")
                .append(key.meaning().replace("|", "\\|")).append(" |\n");
        }
        return out.toString();
    }
}
