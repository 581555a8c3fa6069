package io.corral.engine.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * The value types configuration keys use. Each validates the raw string only; typed parsing happens in
 * {@link ConfigValues} once the value is known to be valid.
 */
public final class ValueTypes
{
    private ValueTypes()
    {
    }

    /**
     * @param min smallest allowed value.
     * @param max largest allowed value.
     * @return a decimal integer in {@code min..max}.
     */
    public static ValueType integer(final long min, final long max)
    {
        return integer(min, max, "");
    }

    /**
     * @param min  smallest allowed value.
     * @param max  largest allowed value.
     * @param note appended to the expectation, e.g. {@code " (-1 = not pinned)"}.
     * @return a decimal integer in {@code min..max}.
     */
    public static ValueType integer(final long min, final long max, final String note)
    {
        return new ValueType()
        {
            public boolean isValid(final String value)
            {
                final Long parsed = parseLong(value);
                return parsed != null && parsed >= min && parsed <= max;
            }

            public String expected()
            {
                return "an integer " + min + ".." + max + note;
            }
        };
    }

    /**
     * @param min smallest allowed value, a power of two.
     * @param max largest allowed value, a power of two.
     * @return a power of two in {@code min..max}.
     */
    public static ValueType powerOfTwo(final int min, final int max)
    {
        return new ValueType()
        {
            public boolean isValid(final String value)
            {
                final Long parsed = parseLong(value);
                return parsed != null && parsed >= min && parsed <= max && Long.bitCount(parsed) == 1;
            }

            public String expected()
            {
                return "a power of two " + min + ".." + max;
            }
        };
    }

    /**
     * @param allowed the allowed values, lower case.
     * @return exactly one of the allowed values.
     */
    public static ValueType oneOf(final String... allowed)
    {
        final List<String> values = Arrays.asList(allowed);
        return new ValueType()
        {
            public boolean isValid(final String value)
            {
                return values.contains(value);
            }

            public String expected()
            {
                return "one of " + String.join("|", values);
            }
        };
    }

    /**
     * @param fallbackKey the key whose value applies when this one is empty.
     * @param allowed     the allowed values, lower case.
     * @return one of the allowed values, or empty to inherit {@code fallbackKey}.
     */
    public static ValueType oneOfOrEmpty(final String fallbackKey, final String... allowed)
    {
        final ValueType oneOf = oneOf(allowed);
        return new ValueType()
        {
            public boolean isValid(final String value)
            {
                return value.isEmpty() || oneOf.isValid(value);
            }

            public String expected()
            {
                return oneOf.expected() + ", or empty for the value of " + fallbackKey;
            }
        };
    }

    /**
     * @return an IPv4 dotted quad or an IPv6 literal; never a host name, so start-up needs no DNS.
     */
    public static ValueType ipAddress()
    {
        return new ValueType()
        {
            public boolean isValid(final String value)
            {
                return isIpv4(value) || isIpv6(value);
            }

            public String expected()
            {
                return "an IPv4 or IPv6 address literal";
            }
        };
    }

    /**
     * @return comma-separated IPv4/IPv6 address literals, or empty.
     */
    public static ValueType ipAddressList()
    {
        return new ValueType()
        {
            public boolean isValid(final String value)
            {
                for (final String item : value.split(",", -1))
                {
                    final String trimmed = item.trim();
                    if (!(trimmed.isEmpty() && value.isBlank()) && !isIpv4(trimmed) && !isIpv6(trimmed))
                    {
                        return false;
                    }
                }
                return true;
            }

            public String expected()
            {
                return "comma-separated IPv4/IPv6 address literals (empty: none)";
            }
        };
    }

    /**
     * @return any non-empty string, e.g. a file system path.
     */
    public static ValueType nonEmpty()
    {
        return new ValueType()
        {
            public boolean isValid(final String value)
            {
                return !value.isEmpty();
            }

            public String expected()
            {
                return "a non-empty value";
            }
        };
    }

    static Long parseLong(final String value)
    {
        if (value.isEmpty() || value.length() > 19)
        {
            return null;
        }
        try
        {
            return Long.parseLong(value);
        }
        catch (final NumberFormatException ex)
        {
            return null;
        }
    }

    static boolean isIpv4(final String value)
    {
        final String[] parts = value.split("\\.", -1);
        if (parts.length != 4)
        {
            return false;
        }
        for (final String part : parts)
        {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit) ||
                Integer.parseInt(part) > 255)
            {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv6(final String value)
    {
        if (value.indexOf(':') < 0 || value.length() > 45)
        {
            return false;
        }
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c != ':' && c != '.' && Character.digit(c, 16) < 0)
            {
                return false;
            }
        }
        try
        {
            // Only hex digits, ':' and '.': a literal, so this parses without a name lookup.
            return InetAddress.getByName(value) instanceof Inet6Address;
        }
        catch (final UnknownHostException ex)
        {
            return false;
        }
    }
}
