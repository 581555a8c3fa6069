package io.corral.engine.dispatch;

import io.corral.engine.sip.codec.SipBytes;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The routing rules of the backends file ({@code route ...} lines), first match wins: per method and Request-URI
 * host and user pattern, what to do with a new out-of-dialog request. No rule matching gives
 * {@link RoutingDecision#DEFAULT} (the registrar for served domains, plain proxying for others). Matching compares
 * bytes in place and allocates nothing; immutable, so any thread may call {@link #decide}.
 */
public final class RoutingPolicy
{
    /** No rules: every request gets {@link RoutingDecision#DEFAULT}. */
    public static final RoutingPolicy EMPTY = new RoutingPolicy(new Rule[0]);

    private static final int ANY = 0;
    private static final int EXACT = 1;
    private static final int SUFFIX = 2;
    private static final int PREFIX = 3;
    private static final int NUMERIC = 4;

    private final Rule[] rules;

    private RoutingPolicy(final Rule[] rules)
    {
        this.rules = rules;
    }

    static RoutingPolicy of(final List<BackendsFile.Route> routes, final BackendSets sets)
    {
        final Rule[] rules = new Rule[routes.size()];
        for (int i = 0; i < rules.length; i++)
        {
            rules[i] = new Rule(routes.get(i), sets);
        }
        return new RoutingPolicy(rules);
    }

    /**
     * @param method     the request's {@code SipMethod} code.
     * @param buffer     holding the Request-URI.
     * @param hostOffset of the Request-URI host.
     * @param hostLength of the host.
     * @param userOffset of the Request-URI user (ignored when the length is 0).
     * @param userLength of the user, 0 when it has none.
     * @return the first matching rule's decision, or {@link RoutingDecision#DEFAULT}.
     */
    public RoutingDecision decide(
        final int method,
        final DirectBuffer buffer,
        final int hostOffset,
        final int hostLength,
        final int userOffset,
        final int userLength)
    {
        for (final Rule rule : rules)
        {
            if (rule.matches(method, buffer, hostOffset, hostLength, userOffset, userLength))
            {
                return rule.decision;
            }
        }
        return RoutingDecision.DEFAULT;
    }

    /**
     * @return the number of rules.
     */
    public int ruleCount()
    {
        return rules.length;
    }

    private static final class Rule
    {
        final int[] methods;
        final int domainKind;
        final byte[] domain;
        final int userKind;
        final byte[] user;
        final RoutingDecision decision;

        Rule(final BackendsFile.Route route, final BackendSets sets)
        {
            methods = route.methods();
            final String domainPattern = route.domain();
            if ("*".equals(domainPattern))
            {
                domainKind = ANY;
                domain = null;
            }
            else if (domainPattern.startsWith("*."))
            {
                domainKind = SUFFIX;
                domain = ascii(domainPattern.substring(1));
            }
            else
            {
                domainKind = EXACT;
                domain = ascii(domainPattern);
            }
            final String userPattern = route.user();
            if ("*".equals(userPattern))
            {
                userKind = ANY;
                user = null;
            }
            else if ("numeric".equals(userPattern))
            {
                userKind = NUMERIC;
                user = null;
            }
            else if (userPattern.endsWith("*"))
            {
                userKind = PREFIX;
                user = ascii(userPattern.substring(0, userPattern.length() - 1));
            }
            else
            {
                userKind = EXACT;
                user = ascii(userPattern);
            }
            decision = new RoutingDecision(
                route.action(), route.set() == null ? Dispatcher.NONE : sets.setId(route.set()), route.set(),
                route.fallback(), route.fallbackSet() == null ? Dispatcher.NONE : sets.setId(route.fallbackSet()),
                route.fallbackSet(), route.status(), route.line());
        }

        boolean matches(
            final int method,
            final DirectBuffer buffer,
            final int hostOffset,
            final int hostLength,
            final int userOffset,
            final int userLength)
        {
            return matchesMethod(method) && matchesDomain(buffer, hostOffset, hostLength) &&
                matchesUser(buffer, userOffset, userLength);
        }

        private boolean matchesMethod(final int method)
        {
            if (methods.length == 0)
            {
                return true;
            }
            for (final int candidate : methods)
            {
                if (candidate == method)
                {
                    return true;
                }
            }
            return false;
        }

        private boolean matchesDomain(final DirectBuffer buffer, final int offset, final int length)
        {
            switch (domainKind)
            {
                case ANY:
                    return true;
                case EXACT:
                    return SipBytes.equalsIgnoreCase(buffer, offset, length, domain);
                default:
                    return length > domain.length &&
                        SipBytes.equalsIgnoreCase(buffer, offset + length - domain.length, domain.length, domain);
            }
        }

        private boolean matchesUser(final DirectBuffer buffer, final int offset, final int length)
        {
            switch (userKind)
            {
                case ANY:
                    return true;
                case EXACT:
                    return SipBytes.equalsExact(buffer, offset, length, user);
                case PREFIX:
                    return length >= user.length && SipBytes.equalsExact(buffer, offset, user.length, user);
                default:
                    return isNumeric(buffer, offset, length);
            }
        }

        private static boolean isNumeric(final DirectBuffer buffer, final int offset, final int length)
        {
            final int start = length > 0 && buffer.getByte(offset) == '+' ? 1 : 0;
            if (length - start <= 0)
            {
                return false;
            }
            for (int i = start; i < length; i++)
            {
                if (!SipBytes.isDigit(buffer.getByte(offset + i)))
                {
                    return false;
                }
            }
            return true;
        }

        private static byte[] ascii(final String text)
        {
            return text.getBytes(StandardCharsets.US_ASCII);
        }
    }
}
