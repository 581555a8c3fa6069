package io.corral.engine.dispatch;

import io.corral.engine.proxy.PeerAddress;
import io.corral.engine.sip.codec.SipMethod;
import io.corral.engine.sip.codec.TransportProtocol;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parser of the backends file ({@code docs/backends.md}): backend sets, their backends and the routing rules, one
 * item per line of {@code key=value} tokens. Runs at start and on reload, never on the SIP path. A bad file gives
 * one line of text naming the file, the line number and the bad token; it never throws for bad content.
 */
public final class BackendsFile
{
    /** Most distinct backends (URIs) in one file; also the width of a failover exclusion mask. */
    public static final int MAX_BACKENDS = 64;
    /** Most sets. */
    public static final int MAX_SETS = 64;
    /** Most distinct resource names. */
    public static final int MAX_RESOURCES = 32;
    /** Largest weight. */
    public static final int MAX_WEIGHT = 100;
    /** Largest channel count of one resource. */
    public static final int MAX_CHANNELS = 1_000_000;

    private static final int SIP_PORT = 5060;
    private static final int SIPS_PORT = 5061;

    /** Resolves a backend host name at load time. */
    @FunctionalInterface
    public interface HostResolver
    {
        /** The system resolver. */
        HostResolver SYSTEM = InetAddress::getByName;

        /**
         * @param host a host name.
         * @return its address.
         * @throws UnknownHostException if it does not resolve.
         */
        InetAddress resolve(String host) throws UnknownHostException;
    }

    /**
     * One backend: a SIP URI and what it offers.
     *
     * @param uri       as written.
     * @param address   where to send: IP and port.
     * @param transport a {@link TransportProtocol} code.
     * @param probe     whether it is probed with OPTIONS.
     * @param resources resource name to maximum channels, in file order.
     * @param line      where it was first defined.
     */
    public record Backend(
        String uri, PeerAddress address, int transport, boolean probe, Map<String, Integer> resources, int line)
    {
    }

    /**
     * A backend's membership in a set.
     *
     * @param set    the set name.
     * @param uri    the backend URI.
     * @param weight 1..{@link #MAX_WEIGHT}.
     * @param line   of the backend line.
     */
    public record Member(String set, String uri, int weight, int line)
    {
    }

    /**
     * A set's options.
     *
     * @param name      the set name.
     * @param algorithm a {@link DispatchAlgorithm} code.
     * @param resource  the resource a select without one uses, or null.
     * @param line      of the set line, 0 for a set only named by backend lines.
     */
    public record BackendSet(String name, int algorithm, String resource, int line)
    {
    }

    /**
     * A routing rule.
     *
     * @param methods      {@link SipMethod} codes, empty for any.
     * @param domain       Request-URI host pattern.
     * @param user         Request-URI user pattern.
     * @param action       a {@link RoutingDecision} action.
     * @param set          the set of a {@link RoutingDecision#SET} action, else null.
     * @param fallback     a {@link RoutingDecision} action or {@link RoutingDecision#NONE}.
     * @param fallbackSet  the set of a {@link RoutingDecision#SET} fallback, else null.
     * @param status       for {@link RoutingDecision#REJECT}, else 0.
     * @param line         of the rule.
     */
    public record Route(
        int[] methods, String domain, String user, int action, String set, int fallback, String fallbackSet,
        int status, int line)
    {
    }

    /**
     * The outcome of a parse: either the content or an error line.
     *
     * @param error    null when the file is good, else one line naming file, line and bad token.
     * @param backends every distinct backend, in file order.
     * @param sets     every set, in order of first mention.
     * @param members  every backend line.
     * @param routes   the routing rules, in file order.
     */
    public record Result(
        String error, List<Backend> backends, List<BackendSet> sets, List<Member> members, List<Route> routes)
    {
        static Result failed(final String error)
        {
            return new Result(error, List.of(), List.of(), List.of(), List.of());
        }

        /**
         * @return true if the file parsed.
         */
        public boolean isOk()
        {
            return error == null;
        }
    }

    private final String fileName;
    private final HostResolver resolver;
    private final Map<String, Backend> backends = new LinkedHashMap<>();
    private final Map<String, BackendSet> sets = new LinkedHashMap<>();
    private final List<Member> members = new ArrayList<>();
    private final List<Route> routes = new ArrayList<>();
    private final List<String> resourceNames = new ArrayList<>();
    private int lineNumber;

    private BackendsFile(final String fileName, final HostResolver resolver)
    {
        this.fileName = fileName;
        this.resolver = resolver;
    }

    /**
     * Read and parse a backends file with the system resolver.
     *
     * @param file the file.
     * @return the content, or an error if it cannot be read or is bad.
     */
    public static Result parse(final Path file)
    {
        return parse(file, HostResolver.SYSTEM);
    }

    /**
     * Read and parse a backends file.
     *
     * @param file     the file.
     * @param resolver for backend host names.
     * @return the content, or an error if it cannot be read or is bad.
     */
    public static Result parse(final Path file, final HostResolver resolver)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final IOException | RuntimeException ex)
        {
            return Result.failed(file + ": cannot read: " + ex);
        }
        return parse(file.toString(), lines, resolver);
    }

    /**
     * Parse the lines of a backends file.
     *
     * @param fileName for error messages.
     * @param lines    the content.
     * @param resolver for backend host names.
     * @return the content, or an error.
     */
    public static Result parse(final String fileName, final List<String> lines, final HostResolver resolver)
    {
        return new BackendsFile(fileName, resolver).parseLines(lines);
    }

    private Result parseLines(final List<String> lines)
    {
        try
        {
            for (final String raw : lines)
            {
                lineNumber++;
                final String line = raw.strip();
                if (line.isEmpty() || line.charAt(0) == '#')
                {
                    continue;
                }
                parseLine(line.split("\\s+"));
            }
            lineNumber = 0;
            checkSets();
        }
        catch (final BadToken ex)
        {
            return Result.failed(ex.getMessage());
        }
        return new Result(null, List.copyOf(backends.values()), List.copyOf(sets.values()), List.copyOf(members),
            List.copyOf(routes));
    }

    private void parseLine(final String[] tokens)
    {
        if ("route".equals(tokens[0]))
        {
            parseRoute(tokens);
            return;
        }
        final Map<String, String> values = keyValues(tokens, 0);
        if (values.containsKey("uri"))
        {
            parseBackend(values, tokens);
        }
        else if (values.containsKey("set"))
        {
            parseSet(values, tokens);
        }
        else
        {
            throw bad(tokens[0], "expected a backend line (set=... uri=...), a set line (set=... algorithm=...) " +
                "or a route line (route ...)");
        }
    }

    private void parseBackend(final Map<String, String> values, final String[] tokens)
    {
        allowOnly(values, tokens, "set", "uri", "weight", "resources", "probe");
        final String setName = name("set", require(values, "set", tokens));
        final String uri = require(values, "uri", tokens);
        final int weight = values.containsKey("weight") ?
            integer("weight", values.get("weight"), 1, MAX_WEIGHT) : 1;
        final Map<String, Integer> resources = values.containsKey("resources") ?
            resources(values.get("resources")) : Map.of();
        final boolean probe = values.containsKey("probe") && bool("probe", values.get("probe"));
        final Backend existing = backends.get(uri);
        if (existing == null)
        {
            if (backends.size() == MAX_BACKENDS)
            {
                throw bad("uri=" + uri, "more than " + MAX_BACKENDS + " backends");
            }
            backends.put(uri, parseUri(uri, probe, resources));
        }
        else if (values.containsKey("probe") && existing.probe() != probe ||
            values.containsKey("resources") && !existing.resources().equals(resources))
        {
            throw bad("uri=" + uri, "already defined on line " + existing.line() + " with other resources or " +
                "probe (a backend is one server: give them once, or the same in every set)");
        }
        for (final Member member : members)
        {
            if (member.set().equals(setName) && member.uri().equals(uri))
            {
                throw bad("uri=" + uri, "already in set '" + setName + "' on line " + member.line());
            }
        }
        if (!sets.containsKey(setName))
        {
            addSet(new BackendSet(setName, DispatchAlgorithm.ROUND_ROBIN, null, 0), "set=" + setName);
        }
        members.add(new Member(setName, uri, weight, lineNumber));
    }

    private void parseSet(final Map<String, String> values, final String[] tokens)
    {
        allowOnly(values, tokens, "set", "algorithm", "resource");
        final String setName = name("set", values.get("set"));
        final String algorithmName = values.getOrDefault("algorithm", "round-robin");
        final int algorithm = DispatchAlgorithm.parse(algorithmName);
        if (algorithm < 0)
        {
            throw bad("algorithm=" + algorithmName, "expected one of " + DispatchAlgorithm.names());
        }
        final String resource = values.containsKey("resource") ? name("resource", values.get("resource")) : null;
        if (DispatchAlgorithm.isLeastLoaded(algorithm) && resource == null)
        {
            throw bad("algorithm=" + algorithmName, "a least-loaded set needs resource=NAME (the channels it counts)");
        }
        final BackendSet previous = sets.get(setName);
        if (previous != null)
        {
            throw bad("set=" + setName, previous.line() > 0 ? "options already given on line " + previous.line() :
                "options must come before the set's first backend (line " + firstMemberLine(setName) + ")");
        }
        addSet(new BackendSet(setName, algorithm, resource, lineNumber), "set=" + setName);
    }

    private void parseRoute(final String[] tokens)
    {
        final Map<String, String> values = keyValues(tokens, 1);
        allowOnly(values, tokens, "method", "domain", "user", "action", "fallback", "status");
        final int[] methods = methods(values.getOrDefault("method", "*"));
        final String domain = domainPattern(values.getOrDefault("domain", "*"));
        final String user = userPattern(values.getOrDefault("user", "*"));
        final String actionText = require(values, "action", tokens);
        final int action = action("action", actionText);
        final String set = action == RoutingDecision.SET ? actionText.substring(4) : null;
        int fallback = RoutingDecision.NONE;
        String fallbackSet = null;
        if (values.containsKey("fallback"))
        {
            final String fallbackText = values.get("fallback");
            if (action != RoutingDecision.LOCAL)
            {
                throw bad("fallback=" + fallbackText, "a fallback only follows action=local");
            }
            fallback = action("fallback", fallbackText);
            if (fallback == RoutingDecision.LOCAL)
            {
                throw bad("fallback=" + fallbackText, "expected forward, reject or set:NAME");
            }
            fallbackSet = fallback == RoutingDecision.SET ? fallbackText.substring(4) : null;
        }
        int status = 0;
        if (values.containsKey("status"))
        {
            if (action != RoutingDecision.REJECT && fallback != RoutingDecision.REJECT)
            {
                throw bad("status=" + values.get("status"), "a status only goes with reject");
            }
            status = integer("status", values.get("status"), 400, 699);
        }
        else if (action == RoutingDecision.REJECT || fallback == RoutingDecision.REJECT)
        {
            status = 405;
        }
        routes.add(new Route(methods, domain, user, action, set, fallback, fallbackSet, status, lineNumber));
    }

    private void checkSets()
    {
        for (final BackendSet set : sets.values())
        {
            int count = 0;
            for (final Member member : members)
            {
                if (member.set().equals(set.name()))
                {
                    count++;
                    final Backend backend = backends.get(member.uri());
                    if (set.resource() != null && DispatchAlgorithm.isLeastLoaded(set.algorithm()) &&
                        !backend.resources().containsKey(set.resource()))
                    {
                        lineNumber = member.line();
                        throw bad("uri=" + member.uri(), "set '" + set.name() + "' balances resource '" +
                            set.resource() + "' but this backend does not offer it (resources=" +
                            set.resource() + "=N)");
                    }
                }
            }
            if (count == 0)
            {
                lineNumber = set.line();
                throw bad("set=" + set.name(), "the set has no backends");
            }
        }
        for (final Route route : routes)
        {
            lineNumber = route.line();
            if (route.set() != null && !sets.containsKey(route.set()))
            {
                throw bad("action=set:" + route.set(), "no such set");
            }
            if (route.fallbackSet() != null && !sets.containsKey(route.fallbackSet()))
            {
                throw bad("fallback=set:" + route.fallbackSet(), "no such set");
            }
        }
    }

    private void addSet(final BackendSet set, final String token)
    {
        if (sets.size() == MAX_SETS)
        {
            throw bad(token, "more than " + MAX_SETS + " sets");
        }
        if (set.resource() != null)
        {
            addResourceName(set.resource(), token);
        }
        sets.put(set.name(), set);
    }

    private int firstMemberLine(final String setName)
    {
        for (final Member member : members)
        {
            if (member.set().equals(setName))
            {
                return member.line();
            }
        }
        return 0;
    }

    private Backend parseUri(final String uri, final boolean probe, final Map<String, Integer> resources)
    {
        final String token = "uri=" + uri;
        final String lower = uri.toLowerCase(Locale.ROOT);
        final boolean secure = lower.startsWith("sips:");
        if (!secure && !lower.startsWith("sip:"))
        {
            throw bad(token, "expected a sip: or sips: URI");
        }
        String rest = uri.substring(secure ? 5 : 4);
        int transport = secure ? TransportProtocol.TLS : TransportProtocol.UDP;
        final int semicolon = rest.indexOf(';');
        if (semicolon >= 0)
        {
            for (final String parameter : rest.substring(semicolon + 1).split(";"))
            {
                if (parameter.toLowerCase(Locale.ROOT).startsWith("transport="))
                {
                    transport = transport(token, parameter.substring("transport=".length()));
                }
            }
            rest = rest.substring(0, semicolon);
        }
        final int at = rest.lastIndexOf('@');
        final String hostPort = at >= 0 ? rest.substring(at + 1) : rest;
        String host = hostPort;
        String portText = null;
        if (hostPort.startsWith("["))
        {
            final int close = hostPort.indexOf(']');
            if (close < 0 || close + 1 < hostPort.length() && hostPort.charAt(close + 1) != ':')
            {
                throw bad(token, "expected [IPv6]:port");
            }
            host = hostPort.substring(0, close + 1);
            portText = close + 1 < hostPort.length() ? hostPort.substring(close + 2) : null;
        }
        else if (hostPort.indexOf(':') >= 0)
        {
            host = hostPort.substring(0, hostPort.indexOf(':'));
            portText = hostPort.substring(hostPort.indexOf(':') + 1);
        }
        final int port = portText != null ? integer("port", portText, 1, 65535, token) :
            secure || transport == TransportProtocol.TLS ? SIPS_PORT : SIP_PORT;
        if (host.isEmpty())
        {
            throw bad(token, "no host");
        }
        final PeerAddress address = new PeerAddress();
        final byte[] hostBytes = host.getBytes(StandardCharsets.US_ASCII);
        if (!address.parse(new UnsafeBuffer(hostBytes), 0, hostBytes.length, port))
        {
            resolve(host, port, address, token);
        }
        return new Backend(uri, address, transport, probe, Collections.unmodifiableMap(resources), lineNumber);
    }

    private void resolve(final String host, final int port, final PeerAddress address, final String token)
    {
        final InetAddress resolved;
        try
        {
            resolved = resolver.resolve(host);
        }
        catch (final UnknownHostException | RuntimeException ex)
        {
            throw bad(token, "host '" + host + "' does not resolve");
        }
        final UnsafeBuffer bytes = new UnsafeBuffer(resolved.getAddress());
        if (resolved instanceof Inet4Address)
        {
            address.ipv4(bytes.getInt(0, ByteOrder.BIG_ENDIAN), port);
        }
        else
        {
            address.ipv6(bytes.getLong(0, ByteOrder.BIG_ENDIAN), bytes.getLong(8, ByteOrder.BIG_ENDIAN), port);
        }
    }

    private int transport(final String token, final String name)
    {
        switch (name.toLowerCase(Locale.ROOT))
        {
            case "udp":
                return TransportProtocol.UDP;
            case "tcp":
                return TransportProtocol.TCP;
            case "tls":
                return TransportProtocol.TLS;
            default:
                throw bad(token, "transport must be udp, tcp or tls");
        }
    }

    private Map<String, Integer> resources(final String text)
    {
        final Map<String, Integer> resources = new LinkedHashMap<>();
        for (final String item : text.split(",", -1))
        {
            final int equals = item.indexOf('=');
            if (equals <= 0)
            {
                throw bad("resources=" + text, "expected NAME=MAX[,NAME=MAX...], e.g. pstn=32,vm=8");
            }
            final String resource = name("resources", item.substring(0, equals));
            final int max = integer("resources", item.substring(equals + 1), 1, MAX_CHANNELS, "resources=" + text);
            if (resources.put(resource, max) != null)
            {
                throw bad("resources=" + text, "resource '" + resource + "' given twice");
            }
            addResourceName(resource, "resources=" + text);
        }
        return resources;
    }

    private void addResourceName(final String resource, final String token)
    {
        if (!resourceNames.contains(resource))
        {
            if (resourceNames.size() == MAX_RESOURCES)
            {
                throw bad(token, "more than " + MAX_RESOURCES + " resource names");
            }
            resourceNames.add(resource);
        }
    }

    private int[] methods(final String text)
    {
        if ("*".equals(text))
        {
            return new int[0];
        }
        final String[] names = text.split(",", -1);
        final int[] methods = new int[names.length];
        for (int i = 0; i < names.length; i++)
        {
            final byte[] name = names[i].getBytes(StandardCharsets.US_ASCII);
            methods[i] = SipMethod.lookup(new UnsafeBuffer(name), 0, name.length);
            if (methods[i] == SipMethod.UNKNOWN)
            {
                throw bad("method=" + text, "unknown method '" + names[i] + "' (methods are upper case, e.g. INVITE)");
            }
        }
        return methods;
    }

    private String domainPattern(final String text)
    {
        final String pattern = text.toLowerCase(Locale.ROOT);
        final int star = pattern.lastIndexOf('*');
        if (pattern.isEmpty() || star > 0 || (star == 0 && !"*".equals(pattern) && !pattern.startsWith("*.")))
        {
            throw bad("domain=" + text, "expected *, a host, or *.suffix");
        }
        return pattern;
    }

    private String userPattern(final String text)
    {
        final int star = text.indexOf('*');
        if (text.isEmpty() || (star >= 0 && star != text.length() - 1))
        {
            throw bad("user=" + text, "expected *, numeric, a user, or a prefix ending in *");
        }
        return text;
    }

    private int action(final String key, final String text)
    {
        switch (text)
        {
            case "local":
                return RoutingDecision.LOCAL;
            case "forward":
                return RoutingDecision.FORWARD;
            case "reject":
                return RoutingDecision.REJECT;
            default:
                if (text.startsWith("set:") && text.length() > 4)
                {
                    name(key, text.substring(4));
                    return RoutingDecision.SET;
                }
                throw bad(key + "=" + text, "expected local, forward, reject or set:NAME");
        }
    }

    private Map<String, String> keyValues(final String[] tokens, final int from)
    {
        final Map<String, String> values = new LinkedHashMap<>();
        for (int i = from; i < tokens.length; i++)
        {
            final String token = tokens[i];
            final int equals = token.indexOf('=');
            if (equals <= 0)
            {
                throw bad(token, "expected key=value");
            }
            if (values.put(token.substring(0, equals), token.substring(equals + 1)) != null)
            {
                throw bad(token, "key given twice");
            }
        }
        return values;
    }

    private void allowOnly(final Map<String, String> values, final String[] tokens, final String... keys)
    {
        for (final Map.Entry<String, String> entry : values.entrySet())
        {
            boolean known = false;
            for (final String key : keys)
            {
                known |= key.equals(entry.getKey());
            }
            if (!known)
            {
                throw bad(entry.getKey() + "=" + entry.getValue(), "unknown key (allowed here: " +
                    String.join(", ", keys) + ")");
            }
        }
    }

    private String require(final Map<String, String> values, final String key, final String[] tokens)
    {
        final String value = values.get(key);
        if (value == null)
        {
            throw bad(String.join(" ", tokens), "missing " + key + "=");
        }
        return value;
    }

    private String name(final String key, final String text)
    {
        boolean valid = !text.isEmpty() && text.length() <= 64;
        for (int i = 0; i < text.length() && valid; i++)
        {
            final char c = text.charAt(i);
            valid = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' ||
                c == '.';
        }
        if (!valid)
        {
            throw bad(key + "=" + text, "a name is 1..64 letters, digits, '_', '-' or '.'");
        }
        return text;
    }

    private boolean bool(final String key, final String text)
    {
        if ("true".equals(text))
        {
            return true;
        }
        if ("false".equals(text))
        {
            return false;
        }
        throw bad(key + "=" + text, "expected true or false");
    }

    private int integer(final String key, final String text, final int min, final int max)
    {
        return integer(key, text, min, max, key + "=" + text);
    }

    private int integer(final String key, final String text, final int min, final int max, final String token)
    {
        try
        {
            final int value = Integer.parseInt(text);
            if (value >= min && value <= max)
            {
                return value;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // reported below with the range
        }
        throw bad(token, key + " must be an integer " + min + ".." + max);
    }

    private BadToken bad(final String token, final String why)
    {
        return new BadToken(fileName + ":" + lineNumber + ": bad token '" + token + "': " + why);
    }

    private static final class BadToken extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        BadToken(final String message)
        {
            super(message, null, false, false);
        }
    }
}
