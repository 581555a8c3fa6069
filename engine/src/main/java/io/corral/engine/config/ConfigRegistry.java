package io.corral.engine.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every configuration key a process knows, in the order the {@code *Configuration} classes declare them.
 */
public final class ConfigRegistry
{
    private final Map<String, ConfigKey> keys = new LinkedHashMap<>();

    /**
     * @param groups the key lists of each {@code *Configuration} class.
     */
    @SafeVarargs
    public ConfigRegistry(final List<ConfigKey>... groups)
    {
        for (final List<ConfigKey> group : groups)
        {
            for (final ConfigKey key : group)
            {
                if (keys.putIfAbsent(key.name(), key) != null)
                {
                    throw new IllegalArgumentException("duplicate key " + key.name());
                }
            }
        }
    }

    /**
     * @return every key in declaration order.
     */
    public List<ConfigKey> keys()
    {
        return Collections.unmodifiableList(new ArrayList<>(keys.values()));
    }

    /**
     * @param name full key name.
     * @return the key, or null if there is none of that name.
     */
    public ConfigKey find(final String name)
    {
        return keys.get(name);
    }

    /**
     * @param name a key name that is not known, e.g. a typo.
     * @return the known key closest to it by edit distance (ties: first declared).
     */
    public ConfigKey closest(final String name)
    {
        ConfigKey best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (final ConfigKey key : keys.values())
        {
            final int distance = editDistance(name, key.name());
            if (distance < bestDistance)
            {
                best = key;
                bestDistance = distance;
            }
        }
        return best;
    }

    static int editDistance(final String a, final String b)
    {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++)
            {
                final int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            final int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
